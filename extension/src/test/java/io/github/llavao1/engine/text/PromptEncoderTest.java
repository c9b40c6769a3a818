package io.github.llavao1.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llavao1.engine.testing.Fixtures;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PromptEncoderTest {

    private static LlamaTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = LlamaTokenizer.load(Fixtures.tinyCheckpoint().resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void singleBosReproducesTheProcessorIds() {
        PromptEncoder encoder = new PromptEncoder(tokenizer, false);
        for (String name : Fixtures.CASES) {
            JsonNode c = Fixtures.referenceCase(name);
            assertArrayEquals(Fixtures.ints(c.get("input_ids")), encoder.encode(c.get("prompt").asText()), name);
        }
    }

    @Test
    void doubleBosIsTheDefaultAndPrependsOneMoreBos() {
        PromptEncoder encoder = new PromptEncoder(tokenizer);
        assertTrue(encoder.doubleBos());
        assertEquals(420, encoder.bosId());
        JsonNode square = Fixtures.referenceCase("square");
        int[] reference = Fixtures.ints(square.get("input_ids"));
        int[] ids = encoder.encode(square.get("prompt").asText());

        assertEquals(reference.length + 1, ids.length);
        assertArrayEquals(new int[] {420, 420, 426, 84, 82, 272, 427, 198, 198, 431}, Arrays.copyOf(ids, 10));
        assertArrayEquals(reference, Arrays.copyOfRange(ids, 1, ids.length));
    }

    @Test
    void renderedConversationEncodesEndToEnd() {
        ChatTemplate template = new ChatTemplate(() -> LocalDate.of(2025, 3, 5));
        String prompt = template.render(
                List.of(PromptMessage.userWithImages(1, "Describe the image.")), true);
        int[] ids = new PromptEncoder(tokenizer).encode(prompt);
        int[] wide = Fixtures.ints(Fixtures.referenceCase("wide").get("input_ids"));
        assertEquals(420, ids[0]);
        assertArrayEquals(wide, Arrays.copyOfRange(ids, 1, ids.length));
    }

    @Test
    void promptWithoutBosIsRejected() {
        PromptEncoder encoder = new PromptEncoder(tokenizer);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode("<|start_header_id|>user<|end_header_id|>\n\nHi"));
        assertTrue(e.getMessage().contains("<|begin_of_text|>"), e.getMessage());
    }
}
