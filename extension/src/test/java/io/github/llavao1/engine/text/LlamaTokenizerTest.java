package io.github.llavao1.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaTokenizerTest {

    private static final LlamaTokenizer tokenizer = Tiny.tokenizer();

    @Test
    void encodesEveryFixturePromptToTheReferenceIds() {
        try (SafetensorsFile reference = Fixtures.referenceTensors()) {
            for (String name : Fixtures.CASES) {
                JsonNode c = Fixtures.referenceCase(name);
                int[] expected = Fixtures.ints(c.get("input_ids"));
                int[] actual = tokenizer.encode(c.get("prompt").asText());
                assertArrayEquals(expected, actual, name);
                long[] tensorIds = reference.readLongs(name + ".input_ids");
                assertEquals(expected.length, tensorIds.length, name);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(tensorIds[i], expected[i], name + " position " + i);
                }
            }
        }
    }

    @Test
    void decodeRoundTripsEveryFixturePrompt() {
        for (String name : Fixtures.CASES) {
            JsonNode c = Fixtures.referenceCase(name);
            assertEquals(c.get("prompt").asText(), tokenizer.decode(Fixtures.ints(c.get("input_ids"))), name);
        }
    }

    @Test
    void skippingSpecialTokensLeavesOnlyTheText() {
        JsonNode square = Fixtures.referenceCase("square");
        assertEquals("user\n\nHow many red circles are in the picture?assistant\n\n",
                tokenizer.decode(Fixtures.ints(square.get("input_ids")), true));
    }

    @Test
    void resolvesEverySpecialTokenOfTheFixture() {
        Iterator<Map.Entry<String, JsonNode>> special = Fixtures.referenceJson().get("special_ids").fields();
        int count = 0;
        while (special.hasNext()) {
            Map.Entry<String, JsonNode> entry = special.next();
            assertEquals(entry.getValue().asInt(), tokenizer.tokenId(entry.getKey()), entry.getKey());
            assertArrayEquals(new int[] {entry.getValue().asInt()}, tokenizer.encode(entry.getKey()), entry.getKey());
            count++;
        }
        assertEquals(12, count);
        assertEquals(432, tokenizer.vocabularySize());
        assertEquals(OptionalInt.of(263), tokenizer.findTokenId("Ġthe"));
    }

    @Test
    void unknownTokenIsReportedByName() {
        assertEquals(OptionalInt.empty(), tokenizer.findTokenId("<|no_such_token|>"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.tokenId("<|no_such_token|>"));
        assertTrue(e.getMessage().contains("<|no_such_token|>"), e.getMessage());
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.decode(new int[] {420, 432}));
        assertTrue(e.getMessage().contains("432") && e.getMessage().contains("position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
    }

    @Test
    void multiByteTextRoundTrips() {
        String text = "héllo 世界 🙂 – naïve façade";
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
    }

    @Test
    void longTextIsNotTruncated() {
        // DJL truncates to 512 tokens by default when asked to; the prompt must never be cut.
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(100);
        int[] ids = tokenizer.encode(text);
        assertTrue(ids.length > 1000, "only " + ids.length + " ids");
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void useAfterCloseFailsCleanly() {
        LlamaTokenizer closed = LlamaTokenizer.load(Fixtures.tinyCheckpoint().resolve("tokenizer.json"));
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.encode("Hi"));
        assertThrows(IllegalStateException.class, () -> closed.decode(new int[] {420}));
        closed.close();
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("tokenizer.json");
        CheckpointException e = assertThrows(CheckpointException.class, () -> LlamaTokenizer.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void malformedFileIsNamed(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("tokenizer.json");
        Files.writeString(broken, "{\"model\": {\"vocab\": {\"a\": 0}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> LlamaTokenizer.load(broken));
        assertTrue(e.getMessage().startsWith(broken.toString()), e.getMessage());

        Path notATokenizer = dir.resolve("other.json");
        Files.writeString(notATokenizer, "{\"model\": {\"vocab\": {\"a\": 0}}, \"added_tokens\": []}");
        e = assertThrows(CheckpointException.class, () -> LlamaTokenizer.load(notATokenizer));
        assertTrue(e.getMessage().startsWith(notATokenizer.toString()), e.getMessage());
    }
}
