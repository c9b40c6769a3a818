package io.github.llavao1.reasoning;

import java.util.List;

/**
 * Stage-level beam search (paper §3.3, the reference's {@code generate_inner_stage_beam}): for each stage in
 * turn, N candidates continue the answer so far and stop at the stage's closing tag; a knockout picks one; the
 * next stage continues from the winner's exact tokens.
 *
 * <p>Judge items and hints follow the reference: the item is the inner text of the candidate's section; the
 * REASONING hint is the CAPTION text, the CONCLUSION hint CAPTION and REASONING concatenated without a separator.
 * Beyond the reference: a stage whose complete section the answer already holds (the model wrote several stages
 * in one go) is not searched again, and a winner that ended with EOS ends the answer, since sampling past an
 * end-of-turn token would make the model start a new turn.
 */
final class StageBeamSearch {

    private StageBeamSearch() {
    }

    static AnswerSoFar run(SearchContext context) {
        ReasoningSettings settings = context.settings;
        AnswerSoFar answer = new AnswerSoFar(context.prompt);
        for (Stage stage : Stage.values()) {
            String before = answer.text();
            if (AnswerParser.firstSection(before, stage) != null) {
                continue;
            }
            int n = settings.stages().contains(stage) ? settings.candidates() : 1;
            StepSpec spec = new StepSpec(stage.name(), stage, answer.prefix(), n, settings.maxTokens(stage),
                    List.of(stage.closeTag()), List.of(), generation -> classify(before, generation, stage),
                    stage.judgeKey(), hint(before, stage), stage == Stage.REASONING);
            Candidate winner = answer.append(SearchStep.run(context, spec));
            if (winner.finishReason() == StopReason.EOS) {
                break;
            }
        }
        return answer;
    }

    /**
     * The candidate's section is searched in the answer so far plus the candidate, as the reference searches the
     * whole generated text, but only a section the candidate closed counts.
     */
    static StepSpec.Classification classify(String before, Generation generation, Stage stage) {
        String combined = before + generation.text();
        String item = AnswerParser.sectionClosedAfter(combined, stage, before.length());
        if (item != null) {
            return StepSpec.Classification.wellFormed(item);
        }
        // A closing tag may straddle the boundary between the answer so far and the candidate.
        int from = Math.max(0, before.length() - stage.closeTag().length() + 1);
        boolean closed = combined.indexOf(stage.closeTag(), from) >= 0;
        return StepSpec.Classification.malformed(closed ? CandidateFormat.MISSING_OPEN_TAG : CandidateFormat.UNCLOSED);
    }

    private static String hint(String before, Stage stage) {
        return switch (stage) {
            case SUMMARY, CAPTION -> null;
            case REASONING -> sectionOrRepair(before, Stage.CAPTION);
            case CONCLUSION -> sectionOrRepair(before, Stage.CAPTION) + sectionOrRepair(before, Stage.REASONING);
        };
    }

    /** The raw section like the reference's hint; a repaired text when the model skipped the tags. */
    private static String sectionOrRepair(String text, Stage stage) {
        String section = AnswerParser.firstSection(text, stage);
        return section != null ? section : AnswerParser.parse(text).text(stage);
    }
}
