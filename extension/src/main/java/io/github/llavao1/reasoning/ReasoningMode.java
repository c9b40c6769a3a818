package io.github.llavao1.reasoning;

import io.github.llavao1.validation.InvalidSettingException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How an answer is searched for; the four modes of the reference's {@code simple_inference.py}. */
public enum ReasoningMode {
    /** One sampled pass until EOS, no search. */
    PLAIN("plain"),
    /** Stage-level beam search: N candidates per stage, a self-judged knockout picks each winner (the paper's). */
    STAGE_BEAM("stage-beam"),
    /** N full answers, one knockout with the "all" judge. */
    BEST_OF_N("best-of-n"),
    /** N candidates per sentence, a knockout with the "sentence" judge, until {@code </CONCLUSION>}. */
    SENTENCE_BEAM("sentence-beam");

    private final String configName;

    ReasoningMode(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration ({@code stage-beam}). */
    public String configName() {
        return configName;
    }

    /** Parses a configuration name; the message lists the accepted names. */
    public static ReasoningMode fromConfigName(String name) {
        for (ReasoningMode mode : values()) {
            if (mode.configName.equals(name)) {
                return mode;
            }
        }
        throw new InvalidSettingException("mode", "must be one of "
                + Arrays.stream(values()).map(ReasoningMode::configName).collect(Collectors.joining(", "))
                + ", was " + name);
    }
}
