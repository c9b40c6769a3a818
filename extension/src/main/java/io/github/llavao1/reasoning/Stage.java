package io.github.llavao1.reasoning;

/**
 * The four stages LLaVA-o1 writes, in order, each as a plain-text tagged section ({@code <SUMMARY>…</SUMMARY>}).
 * The tags are ordinary BPE text, not special tokens (paper §3.1).
 */
public enum Stage {
    SUMMARY, CAPTION, REASONING, CONCLUSION;

    public String openTag() {
        return "<" + name() + ">";
    }

    public String closeTag() {
        return "</" + name() + ">";
    }

    /** The stage's key in the judge and recall tables of {@code judge-prompts.json}. */
    String judgeKey() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
