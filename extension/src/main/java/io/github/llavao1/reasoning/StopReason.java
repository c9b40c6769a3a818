package io.github.llavao1.reasoning;

/** Why one sampled sequence of the search ended. */
public enum StopReason {
    /** The model sampled an end-of-sequence token. */
    EOS,
    /** The generated text reached one of the call's stop strings or stop suffixes. */
    STOP_STRING,
    /** The call's {@code maxNewTokens} ran out. */
    LENGTH,
    /** The caller cancelled the request while this sequence was being sampled. */
    CANCELLED
}
