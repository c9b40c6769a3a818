package io.github.llavao1.reasoning;

import java.util.List;

/**
 * Sentence-level beam search (the reference's {@code generate_inner_sentence_beam}): N candidates stop once their
 * text ends with a period or contains {@code </CONCLUSION>}, the "sentence" judge picks one, repeated until the answer holds
 * {@code </CONCLUSION>}.
 *
 * <p>Unlike the reference, which splits the whole text on "." to recover the last sentence (dropping the periods,
 * and judging the wrong sentence when a candidate ends at {@code </CONCLUSION>}), the judge's item is exactly the
 * candidate's new text and the hint is the answer so far. A candidate that did not reach a stop string is
 * malformed. The search also ends when a winner ends with EOS or the answer reaches the sum of the stage budgets
 * (the reference would loop on); each call's budget is that of the stage the answer is in.
 */
final class SentenceBeamSearch {

    /** The reference's {@code StopOnStrings(['</CONCLUSION>'])}: anywhere in the text. */
    static final List<String> STOP_STRINGS = List.of(Stage.CONCLUSION.closeTag());
    /** The reference's {@code StopOnPeriod}: the decoded text ends with "." (a token like ".\n\n" does not stop). */
    static final List<String> STOP_SUFFIXES = List.of(".");

    private SentenceBeamSearch() {
    }

    static AnswerSoFar run(SearchContext context) {
        ReasoningSettings settings = context.settings;
        AnswerSoFar answer = new AnswerSoFar(context.prompt);
        for (int sentence = 1; !answer.text().contains(Stage.CONCLUSION.closeTag()); sentence++) {
            int remaining = settings.answerBudget() - answer.tokenCount();
            if (remaining <= 0) {
                break;
            }
            String before = answer.text();
            int budget = Math.min(settings.maxTokens(currentStage(before)), remaining);
            StepSpec spec = new StepSpec("SENTENCE " + sentence, null, answer.prefix(), settings.candidates(),
                    budget, STOP_STRINGS, STOP_SUFFIXES, SentenceBeamSearch::classify, JudgePrompts.SENTENCE, before, false);
            Candidate winner = answer.append(SearchStep.run(context, spec));
            if (winner.finishReason() == StopReason.EOS || winner.tokens().length == 0) {
                break;
            }
        }
        return answer;
    }

    static StepSpec.Classification classify(Generation generation) {
        return generation.finishReason() == StopReason.STOP_STRING
                ? StepSpec.Classification.wellFormed(generation.text())
                : StepSpec.Classification.malformed(CandidateFormat.UNCLOSED);
    }

    /** The last stage whose opening tag the answer holds; SUMMARY before any. */
    static Stage currentStage(String answer) {
        Stage current = Stage.SUMMARY;
        int latest = -1;
        for (Stage stage : Stage.values()) {
            int at = answer.lastIndexOf(stage.openTag());
            if (at > latest) {
                latest = at;
                current = stage;
            }
        }
        return current;
    }
}
