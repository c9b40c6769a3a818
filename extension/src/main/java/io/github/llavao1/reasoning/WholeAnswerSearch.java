package io.github.llavao1.reasoning;

import java.util.List;

/**
 * The two modes that sample whole answers: {@link ReasoningMode#PLAIN} (one candidate until EOS) and
 * {@link ReasoningMode#BEST_OF_N} (the reference's {@code generate_inner_best_of_N}: N answers stopped at
 * {@code </CONCLUSION>}, one knockout with the "all" judge, which sees each answer's whole text). Both get the sum
 * of the stage budgets. An answer is well-formed when all four stages are complete sections.
 */
final class WholeAnswerSearch {

    static final String STEP = "ANSWER";

    private WholeAnswerSearch() {
    }

    static AnswerSoFar run(SearchContext context, boolean bestOfN) {
        ReasoningSettings settings = context.settings;
        AnswerSoFar answer = new AnswerSoFar(context.prompt);
        StepSpec spec = new StepSpec(STEP, null, answer.prefix(), bestOfN ? settings.candidates() : 1,
                settings.answerBudget(), bestOfN ? List.of(Stage.CONCLUSION.closeTag()) : List.of(), List.of(),
                WholeAnswerSearch::classify, JudgePrompts.ALL, null, false);
        answer.append(SearchStep.run(context, spec));
        return answer;
    }

    static StepSpec.Classification classify(Generation generation) {
        for (Stage stage : Stage.values()) {
            if (AnswerParser.firstSection(generation.text(), stage) == null) {
                boolean closed = generation.text().contains(stage.closeTag());
                return StepSpec.Classification.malformed(
                        closed ? CandidateFormat.MISSING_OPEN_TAG : CandidateFormat.UNCLOSED);
            }
        }
        return StepSpec.Classification.wellFormed(generation.text());
    }
}
