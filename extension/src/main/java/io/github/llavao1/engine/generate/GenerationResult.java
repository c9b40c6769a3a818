package io.github.llavao1.engine.generate;

/**
 * One generated sequence.
 *
 * @param tokens the new token ids, including a final end-of-sequence token when that is why it stopped
 * @param text the decoded new text (special end-of-sequence tokens excluded)
 * @param promptTokens length of the prefix it continued
 * @param prefillMillis time spent reading the prompt for this request (shared by all sequences of a batch)
 * @param decodeMillis time spent in the decode loop of the batch
 */
public record GenerationResult(int[] tokens, String text, FinishReason finishReason, int promptTokens,
        double prefillMillis, double decodeMillis) {

    public int generatedTokens() {
        return tokens.length;
    }
}
