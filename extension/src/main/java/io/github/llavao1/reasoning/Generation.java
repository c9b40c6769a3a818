package io.github.llavao1.reasoning;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sampled continuation: the new tokens only (an ending EOS included), their text (special tokens skipped, a
 * stop string included) and why it ended.
 */
public record Generation(int[] tokens, String text, StopReason finishReason) {

    public Generation {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
    }

    // Arrays compare by content, so that generations (and the traces holding them) have value semantics.
    @Override
    public boolean equals(Object other) {
        return other instanceof Generation that
                && Arrays.equals(tokens, that.tokens)
                && text.equals(that.text)
                && finishReason == that.finishReason;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(tokens), text, finishReason);
    }

    @Override
    public String toString() {
        return "Generation[" + tokens.length + " tokens, " + finishReason + ", text=" + text + "]";
    }
}
