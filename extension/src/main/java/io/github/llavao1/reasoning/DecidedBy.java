package io.github.llavao1.reasoning;

/** What settled a pairing of the knockout. */
public enum DecidedBy {
    /** The self-judge's pairwise verdict. */
    JUDGE,
    /** The REASONING stage's correctness pre-check found one candidate "incorrect"; no pairwise judge ran. */
    PRECHECK,
    /**
     * At least one candidate was malformed: well-formed beats malformed, of two malformed the earlier-sampled
     * stays. No call.
     */
    FORMAT,
    /** {@link JudgeStrategy#FIRST_CANDIDATE}: the earlier-sampled candidate wins. No call. */
    STRATEGY
}
