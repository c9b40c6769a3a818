package io.github.llavao1.reasoning;

/**
 * Whether a candidate has the section its step asks for. Only well-formed candidates are ever shown to a judge;
 * see {@link StagedReasoner} for the policy.
 */
public enum CandidateFormat {
    /** The step's section is complete (a stage's open and close tag, a sentence's stop string). */
    WELL_FORMED,
    /** The candidate ended (EOS or token budget) before the closing tag or stop string. */
    UNCLOSED,
    /** The closing tag is there, but its opening tag is not. */
    MISSING_OPEN_TAG
}
