package io.github.llavao1.reasoning;

import io.github.llavao1.reasoning.ScriptedBackend.Call;
import io.github.llavao1.reasoning.ScriptedBackend.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.github.llavao1.reasoning.StageBeamSearchTest.run;
import static io.github.llavao1.reasoning.StageBeamSearchTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The malformed-candidate policy and the repair of the answer's structure. */
class MalformedCandidateTest {

    static long summaryJudgeCalls(ScriptedBackend backend) {
        return backend.calls(Kind.JUDGE).stream().filter(c -> c.prefixText().contains("provides a summary")).count();
    }

    @Test
    void aWellFormedCandidateBeatsAnUnclosedOneWithoutAJudgeCall() {
        ScriptedBackend backend = new ScriptedBackend().batch("<SUMMARY>Count.</SUMMARY>", "<SUMMARY>I will ramble");
        ReasoningResult result = run(backend, settings(2).build());

        StageTrace summary = result.steps().get(0);
        assertEquals(CandidateFormat.WELL_FORMED, summary.candidates().get(0).format());
        assertEquals(CandidateFormat.UNCLOSED, summary.candidates().get(1).format());
        assertEquals(StopReason.EOS, summary.candidates().get(1).finishReason());
        assertNull(summary.candidates().get(1).item());
        Judgement judgement = summary.judgements().get(0);
        assertEquals(DecidedBy.FORMAT, judgement.decidedBy());
        assertNull(judgement.judgeOutput());
        assertEquals(0, judgement.judgeTokens());
        assertEquals(0, summary.winner());
        assertEquals(0, summaryJudgeCalls(backend));
    }

    @Test
    void aClosingTagWithoutItsOpeningTagIsMalformed() {
        ScriptedBackend backend = new ScriptedBackend().batch("Count them.</SUMMARY>", "<SUMMARY>Count.</SUMMARY>");
        ReasoningResult result = run(backend, settings(2).build());

        StageTrace summary = result.steps().get(0);
        assertEquals(CandidateFormat.MISSING_OPEN_TAG, summary.candidates().get(0).format());
        assertEquals(StopReason.STOP_STRING, summary.candidates().get(0).finishReason());
        assertEquals(1, summary.winner());
        assertEquals(0, summaryJudgeCalls(backend));
    }

    @Test
    void aCandidateRunningOutOfBudgetIsMalformed() {
        ScriptedBackend backend = new ScriptedBackend()
                .batch("<SUMMARY>" + "very long ".repeat(10) + "</SUMMARY>", "<SUMMARY>ok</SUMMARY>");
        ReasoningResult result = run(backend, settings(2).maxTokens(Stage.SUMMARY, 30).build());

        Candidate cut = result.steps().get(0).candidates().get(0);
        assertEquals(StopReason.LENGTH, cut.finishReason());
        assertEquals(30, cut.tokens().length);
        assertEquals(CandidateFormat.UNCLOSED, cut.format());
        assertEquals(1, result.steps().get(0).winner());
    }

    @Test
    void judgesOnlySeeWellFormedCandidatesSoNumberingNeverShifts() {
        // Reference defect: dropping the malformed candidate from the prompt renumbers the rest.
        ScriptedBackend backend = new ScriptedBackend()
                .batch("<SUMMARY>alpha</SUMMARY>", "no tags at all", "<SUMMARY>gamma</SUMMARY>");
        ReasoningResult result = run(backend, settings(3).build());

        StageTrace summary = result.steps().get(0);
        List<Judgement> judged = summary.judgements().stream().filter(j -> j.decidedBy() == DecidedBy.JUDGE).toList();
        assertEquals(1, judged.size());
        assertEquals(List.of(0, 2), List.of(judged.get(0).first(), judged.get(0).second()).stream().sorted().toList());
        Call judge = backend.calls(Kind.JUDGE).get(0);
        assertFalse(judge.prefixText().contains("no tags at all"));
        String first = summary.candidates().get(judged.get(0).first()).item();
        assertTrue(judge.prefixText().contains("\nRepsonse 1: " + first + "\n"));
        assertTrue(summary.winnerCandidate().wellFormed());
    }

    @Test
    void allMalformedKeepsTheFirstCandidateAndRepairsTheStage() {
        ScriptedBackend backend = new ScriptedBackend().batch("Count them.</SUMMARY>", "rambling", "more rambling");
        ReasoningResult result = run(backend, settings(3).build());

        StageTrace summary = result.steps().get(0);
        assertEquals(0, summary.winner());
        assertEquals(2, summary.judgements().size());
        summary.judgements().forEach(j -> assertEquals(DecidedBy.FORMAT, j.decidedBy()));
        assertEquals(0, summaryJudgeCalls(backend));
        assertEquals("Count them.", result.summary());
        assertEquals(List.of(Stage.SUMMARY), result.repairedStages());
        assertEquals(4, result.steps().size(), "the search goes on from the repaired stage");
    }

    @Test
    void anUntaggedAnswerEndingWithEosEndsTheSearchAndBecomesTheConclusion() {
        ScriptedBackend backend = new ScriptedBackend().batch("The answer is B.", "It is B.");
        ReasoningResult result = run(backend, settings(2).build());

        assertEquals(1, result.steps().size(), "no sampling past the end of the turn");
        assertEquals("The answer is B.", result.conclusion());
        assertEquals("", result.summary());
        assertEquals("", result.caption());
        assertEquals("", result.reasoning());
        assertEquals(List.of(Stage.values()), result.repairedStages());
    }

    @Test
    void aRandomModelStillYieldsFourStagesWithinBudget() {
        ScriptedBackend backend = new ScriptedBackend().defaultCandidates(request -> {
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < request.n(); i++) {
                outputs.add("qz" + i + "x".repeat(50));
            }
            return outputs;
        });
        ReasoningResult result = run(backend, settings(2).maxTokens(5).build());

        assertEquals(4, result.steps().size());
        result.steps().forEach(t -> t.candidates().forEach(c -> assertEquals(5, c.tokens().length)));
        assertEquals(20, result.answerTokens());
        assertEquals(0, backend.calls(Kind.JUDGE).size());
        assertEquals(List.of(Stage.values()), result.repairedStages());
        // untagged, but written stage by stage: each stage keeps what its own step's winner wrote
        for (StageTrace step : result.steps()) {
            assertEquals(step.winnerCandidate().text().trim(), result.stageText(step.stage()), step.step());
        }
        assertEquals(result.answer(), result.summary() + result.caption() + result.reasoning() + result.conclusion());
    }

    @Test
    void stagesAlreadyWrittenByAnEarlierWinnerAreNotSearchedAgain() {
        ScriptedBackend backend = new ScriptedBackend()
                .batch("<CAPTION>Two pears.</CAPTION><SUMMARY>Look first.</SUMMARY>");
        ReasoningResult result = run(backend, settings(1).build());

        assertEquals(List.of("SUMMARY", "REASONING", "CONCLUSION"),
                result.steps().stream().map(StageTrace::step).toList());
        assertEquals("Two pears.", result.caption());
        assertEquals("Look first.", result.summary());
        assertEquals(List.of(), result.repairedStages());
    }

    @Test
    void aSectionOpenedByThePreviousWinnerCanBeClosedByTheNextStage() {
        // SUMMARY's only candidate skipped its stage and was cut inside CAPTION; the CAPTION candidate closes it.
        ScriptedBackend cut = new ScriptedBackend()
                .batch("<CAPTION>three" + "!".repeat(20))
                .batch(" apples</CAPTION>");
        ReasoningResult result = run(cut, settings(1).maxTokens(Stage.SUMMARY, 14).build());

        assertEquals(StopReason.LENGTH, result.steps().get(0).winnerCandidate().finishReason());
        Candidate caption = result.steps().get(1).candidates().get(0);
        assertEquals(CandidateFormat.WELL_FORMED, caption.format());
        assertEquals("three apples", caption.item());
        assertEquals("three apples", result.caption());

        // Without the opening tag before it, the same text is malformed.
        ScriptedBackend unopened = new ScriptedBackend().batch("<SUMMARY>s</SUMMARY>").batch(" apples</CAPTION>");
        ReasoningResult malformed = run(unopened, settings(1).build());
        assertEquals(CandidateFormat.MISSING_OPEN_TAG, malformed.steps().get(1).candidates().get(0).format());
    }
}
