package io.github.llavao1.reasoning;

/** Why one generated sequence ended. */
public enum FinishReason {
    /** The model sampled an end-of-sequence token. */
    EOS,
    /** The generated text reached one of the request's stop strings. */
    STOP_STRING,
    /** The request's {@code maxNewTokens} ran out. */
    LENGTH,
    /** The caller cancelled the request while this sequence was being sampled. */
    CANCELLED
}
