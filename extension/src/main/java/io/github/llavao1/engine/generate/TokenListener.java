package io.github.llavao1.engine.generate;

/** Receives each generated token as it is decided, for streaming; may cancel the generation. */
@FunctionalInterface
public interface TokenListener {

    /**
     * @param sequence index of the sequence in the batch (0 for a single sequence)
     * @param tokenId the new token
     * @param textDelta the text that became complete with this token (may be empty mid-character)
     */
    void onToken(int sequence, int tokenId, String textDelta);

    /** Polled between decode steps; true stops every sequence with {@link FinishReason#CANCELLED}. */
    default boolean cancelled() {
        return false;
    }

    TokenListener NONE = (sequence, tokenId, textDelta) -> { };
}
