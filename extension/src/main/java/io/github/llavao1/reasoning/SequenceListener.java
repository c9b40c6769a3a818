package io.github.llavao1.reasoning;

/** Receives the tokens of a batched sampling call as they are sampled; an exception it throws aborts the call. */
@FunctionalInterface
public interface SequenceListener {

    /**
     * @param sequenceIndex which of the batch's {@code n} sequences the token belongs to
     * @param textDelta     the text the token adds (may be empty while a multi-byte character is incomplete)
     */
    void onToken(int sequenceIndex, int tokenId, String textDelta);
}
