package io.github.llavao1.reasoning;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one reasoning request; a plain record that Jackson writes and reads as JSON.
 *
 * <p>The four stage texts are always present (trimmed, possibly empty), whatever the model wrote: see
 * {@link AnswerParser} for how a missing or unclosed tag is repaired, and {@code repairedStages} for which ones were.
 *
 * @param mode            the search that ran
 * @param seed            the seed the search ran with (drawn when the settings had none), so it can be repeated
 * @param summary         the SUMMARY stage text
 * @param caption         the CAPTION stage text
 * @param reasoning       the REASONING stage text
 * @param conclusion      the CONCLUSION stage text, which is the final answer
 * @param answer          the whole generated answer, tags included
 * @param repairedStages  stages not found as a complete tagged section, in stage order
 * @param steps           what every search step did, in order
 * @param answerTokens    tokens of the answer (the winners' tokens)
 * @param candidateTokens tokens sampled for all candidates, losers included
 * @param judgeTokens     tokens sampled by all judge and pre-check calls
 * @param wallMillis      wall time of the whole request
 */
public record ReasoningResult(ReasoningMode mode, long seed, String summary, String caption, String reasoning,
                              String conclusion, String answer, List<Stage> repairedStages, List<StageTrace> steps,
                              int answerTokens, int candidateTokens, int judgeTokens, long wallMillis) {

    public ReasoningResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(conclusion, "conclusion");
        Objects.requireNonNull(answer, "answer");
        repairedStages = List.copyOf(repairedStages);
        steps = List.copyOf(steps);
    }

    /** The answer benchmarks score: the CONCLUSION text. */
    public String finalAnswer() {
        return conclusion;
    }

    /** The text of {@code stage}. */
    public String stageText(Stage stage) {
        return switch (stage) {
            case SUMMARY -> summary;
            case CAPTION -> caption;
            case REASONING -> reasoning;
            case CONCLUSION -> conclusion;
        };
    }
}
