package io.github.llavao1.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingDecoderTest {

    private static final LlamaTokenizer tokenizer = Tiny.tokenizer();

    private static List<String> stream(StreamingDecoder decoder, int[] ids) {
        List<String> chunks = new ArrayList<>();
        for (int id : ids) {
            chunks.add(decoder.push(id));
        }
        chunks.add(decoder.flush());
        return chunks;
    }

    @Test
    void multiByteCharactersComeOutWholeAndOnce() {
        String text = "héllo 世界 🙂";
        int[] ids = tokenizer.encode(text);
        // The tiny vocabulary has no merges for these characters: each is split into byte tokens.
        assertTrue(ids.length > text.length(), ids.length + " ids");
        List<String> chunks = stream(tokenizer.streamingDecoder(), ids);

        assertEquals(text, String.join("", chunks));
        assertEquals(tokenizer.decode(ids), String.join("", chunks));
        int held = 0;
        for (String chunk : chunks) {
            assertFalse(chunk.contains("\uFFFD"), "half a character in " + chunk);
            if (chunk.isEmpty()) {
                held++;
            }
        }
        assertTrue(held >= 5, "expected pushes that completed no character, got " + held);
        assertTrue(chunks.contains("🙂") || chunks.stream().anyMatch(c -> c.endsWith("🙂")), chunks.toString());
    }

    @Test
    void invalidBytesFromTheModelMatchAFullDecode() {
        // The tiny random model's greedy output holds lone UTF-8 bytes (decoded as U+FFFD) and special tokens.
        for (String name : Fixtures.CASES) {
            int[] ids = Fixtures.ints(Fixtures.referenceCase(name).get("greedy_new_ids"));
            assertEquals(tokenizer.decode(ids), String.join("", stream(tokenizer.streamingDecoder(), ids)), name);
            assertEquals(tokenizer.decode(ids, true), String.join("", stream(tokenizer.streamingDecoder(true), ids)),
                    name);
        }
    }

    @Test
    void flushReleasesAnIncompleteCharacter() {
        int[] ids = tokenizer.encode("世");
        assertTrue(ids.length > 1);
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertEquals("", decoder.push(ids[0]));
        assertTrue(decoder.hasPending());
        assertEquals("\uFFFD", decoder.flush());
        assertFalse(decoder.hasPending());
        assertEquals("", decoder.flush());
    }

    @Test
    void specialTokensAreWrittenOrSkipped() {
        int eot = tokenizer.tokenId(LlamaTokenizer.END_OF_TURN);
        int[] done = tokenizer.encode("Done.");
        StreamingDecoder keep = tokenizer.streamingDecoder();
        StreamingDecoder skip = tokenizer.streamingDecoder(true);
        StringBuilder kept = new StringBuilder();
        StringBuilder skipped = new StringBuilder();
        for (int id : done) {
            kept.append(keep.push(id));
            skipped.append(skip.push(id));
        }
        kept.append(keep.push(eot));
        skipped.append(skip.push(eot));
        assertEquals("Done.<|eot_id|>", kept.toString());
        assertEquals("Done.", skipped.toString());
    }

    @Test
    void anUnknownIdIsRejectedWithoutLosingHeldBytes() {
        int[] ids = tokenizer.encode("界");
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        StringBuilder out = new StringBuilder(decoder.push(ids[0]));
        assertThrows(IllegalArgumentException.class, () -> decoder.push(10_000));
        for (int i = 1; i < ids.length; i++) {
            out.append(decoder.push(ids[i]));
        }
        assertEquals("界", out.toString());
    }
}
