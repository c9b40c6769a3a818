package io.github.llavao1.reasoning;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sampled candidate of a search step.
 *
 * @param index        its position in the step's batch (0-based; "Response 1" of a judge prompt is the pair's
 *                     first candidate, whatever its index)
 * @param text         the generated text (a stop string included)
 * @param tokens       the generated token ids, exactly as sampled (an ending EOS included)
 * @param finishReason why sampling ended
 * @param format       whether it holds the step's section
 * @param item         what a judge is shown of it: the stage section's inner text, the new sentence, or the
 *                     whole answer; {@code null} when it is malformed and so never judged
 */
public record Candidate(int index, String text, int[] tokens, StopReason finishReason, CandidateFormat format,
                        String item) {

    public Candidate {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(format, "format");
        if ((format == CandidateFormat.WELL_FORMED) != (item != null)) {
            throw new IllegalArgumentException("item must be present exactly when the candidate is well-formed");
        }
    }

    public boolean wellFormed() {
        return format == CandidateFormat.WELL_FORMED;
    }

    // Arrays compare by content so that a trace read back from JSON equals the one written.
    @Override
    public boolean equals(Object other) {
        return other instanceof Candidate that
                && index == that.index
                && text.equals(that.text)
                && Arrays.equals(tokens, that.tokens)
                && finishReason == that.finishReason
                && format == that.format
                && Objects.equals(item, that.item);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, text, Arrays.hashCode(tokens), finishReason, format, item);
    }

    @Override
    public String toString() {
        return "Candidate[" + index + ", " + tokens.length + " tokens, " + finishReason + ", " + format
                + ", text=" + text + "]";
    }
}
