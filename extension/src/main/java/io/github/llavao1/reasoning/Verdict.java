package io.github.llavao1.reasoning;

/** Which candidate of a pair won. */
public enum Verdict {
    FIRST, SECOND;

    /** The reference's parsing: the exact phrase keeps the first candidate, anything else keeps the second. */
    static final String FIRST_PHRASE = "I choose response 1";

    /** Parses a self-judge's output the way the reference does (case-sensitive substring test). */
    public static Verdict parse(String judgeOutput) {
        return judgeOutput.contains(FIRST_PHRASE) ? FIRST : SECOND;
    }
}
