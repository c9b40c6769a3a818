package io.github.llavao1.engine.generate;

/** Why a sequence stopped generating. */
public enum FinishReason {
    /** An end-of-sequence token (not counted in the text). */
    EOS,
    /** The decoded text reached one of the stop strings (included in the text). */
    STOP_STRING,
    /** The max-new-tokens budget was used up. */
    LENGTH,
    /** The caller cancelled. */
    CANCELLED
}
