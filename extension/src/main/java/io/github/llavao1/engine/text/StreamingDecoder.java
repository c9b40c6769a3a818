package io.github.llavao1.engine.text;

import java.util.Arrays;

/**
 * Incremental detokenisation for streaming output, the technique of text-generation-inference's
 * {@code decode_token}: ids are held until their decoded text no longer ends in U+FFFD, the replacement character
 * the byte-level decoder writes for an incomplete UTF-8 sequence. A character whose bytes are split across
 * several tokens therefore comes out once, whole, and the concatenation of everything {@link #push} and
 * {@link #flush} return equals {@link LlamaTokenizer#decode} of all ids (UTF-8 resynchronises after every complete
 * character, so decoding in these pieces cannot differ from decoding at once).
 *
 * <p>Text that genuinely ends in U+FFFD (invalid bytes from the model) is held until the next id or {@link #flush}.
 * Held ids are decoded again on every push, so a long run of invalid bytes costs time quadratic in its length,
 * bounded by the generation budget. One instance per stream; not thread-safe.
 */
public final class StreamingDecoder {

    private static final char REPLACEMENT = '\uFFFD';

    private final LlamaTokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] pending = new int[8];
    private int pendingCount;

    StreamingDecoder(LlamaTokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one generated id; returns the text that became complete with it (often empty, never half a character). */
    public String push(int id) {
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pendingCount * 2);
        }
        pending[pendingCount++] = id;
        String text;
        try {
            text = tokenizer.decode(Arrays.copyOf(pending, pendingCount), skipSpecialTokens);
        } catch (RuntimeException e) {
            pendingCount--; // the rejected id is not taken; what was held stays held
            throw e;
        }
        if (!text.isEmpty() && text.charAt(text.length() - 1) == REPLACEMENT) {
            return "";
        }
        pendingCount = 0;
        return text;
    }

    /** Ends the stream: returns whatever is held, incomplete bytes written as U+FFFD, and starts afresh. */
    public String flush() {
        if (pendingCount == 0) {
            return "";
        }
        String text = tokenizer.decode(Arrays.copyOf(pending, pendingCount), skipSpecialTokens);
        pendingCount = 0;
        return text;
    }

    /** Whether ids are held back waiting for the rest of a character. */
    public boolean hasPending() {
        return pendingCount > 0;
    }
}
