package io.github.llavao1.reasoning;

/** How a pair of well-formed candidates is decided. */
public enum JudgeStrategy {
    /** The paper's method: the same model judges the pair, image attached, with the verbatim judge prompt. */
    SELF_JUDGE,
    /** No judge call: the earlier-sampled candidate wins. A cheap baseline with the same sampling cost. */
    FIRST_CANDIDATE
}
