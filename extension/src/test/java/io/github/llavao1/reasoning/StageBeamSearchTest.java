package io.github.llavao1.reasoning;

import io.github.llavao1.reasoning.ScriptedBackend.Call;
import io.github.llavao1.reasoning.ScriptedBackend.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stage-level beam search over a scripted backend: knockout shape, verdicts, continuation, token counts. */
class StageBeamSearchTest {

    static final String QUESTION = "How many apples are on the table?";

    static ReasoningResult run(ScriptedBackend backend, ReasoningSettings settings) {
        return new StagedReasoner(settings).reason(backend.request(QUESTION, 1));
    }

    static ReasoningSettings.Builder settings(int n) {
        return ReasoningSettings.builder().candidates(n).seed(42L);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void everyStageRunsAKnockoutOfNMinusOnePairings(int n) {
        ScriptedBackend backend = new ScriptedBackend();
        ReasoningResult result = run(backend, settings(n).build());

        assertEquals(List.of("SUMMARY", "CAPTION", "REASONING", "CONCLUSION"),
                result.steps().stream().map(StageTrace::step).toList());
        for (StageTrace trace : result.steps()) {
            assertEquals(n, trace.candidates().size(), trace.step());
            assertEquals(n - 1, trace.judgements().size(), trace.step());
            assertKnockoutShape(trace);
            trace.judgements().forEach(j -> assertEquals(DecidedBy.JUDGE, j.decidedBy()));
        }
        List<Call> batches = backend.calls(Kind.CANDIDATES);
        assertEquals(4, batches.size(), "one batched call per stage");
        for (int i = 0; i < 4; i++) {
            assertEquals(n, batches.get(i).request().n());
            assertEquals(List.of(Stage.values()[i].closeTag()), batches.get(i).request().stopStrings());
        }
        assertEquals(4 * (n - 1), backend.calls(Kind.JUDGE).size());
        assertEquals(n, backend.calls(Kind.PRECHECK).size(), "each reasoning candidate is checked once");
        assertEquals(0, backend.openSessions, "session closed");
    }

    /** Each pairing draws two candidates still in the pool and puts the winner back; the last one left wins. */
    static void assertKnockoutShape(StageTrace trace) {
        Set<Integer> pool = new HashSet<>();
        for (int i = 0; i < trace.candidates().size(); i++) {
            pool.add(i);
        }
        for (Judgement judgement : trace.judgements()) {
            assertTrue(pool.remove(judgement.first()), trace.step() + " first in pool");
            assertTrue(pool.remove(judgement.second()), trace.step() + " second in pool");
            pool.add(judgement.winner());
        }
        assertEquals(Set.of(trace.winner()), pool);
    }

    @Test
    void judgeOutputIsParsedLikeTheReference() {
        ScriptedBackend backend = new ScriptedBackend()
                .judges("Since it is concise, I choose response 1.",
                        "Since it has more detail, I choose response 2.",
                        "Response 1 is clearly better.",
                        "i choose response 1");
        ReasoningResult result = run(backend, settings(2).build());

        List<Verdict> verdicts = new ArrayList<>();
        for (StageTrace trace : result.steps()) {
            Judgement judgement = trace.judgements().get(0);
            verdicts.add(judgement.verdict());
            assertEquals(judgement.winner(), trace.winner());
        }
        assertEquals(List.of(Verdict.FIRST, Verdict.SECOND, Verdict.SECOND, Verdict.SECOND), verdicts);
        assertEquals("Since it is concise, I choose response 1.",
                result.steps().get(0).judgements().get(0).judgeOutput());
    }

    @Test
    void verdictNeedsTheExactPhrase() {
        assertEquals(Verdict.FIRST, Verdict.parse("Since A is right, I choose response 1."));
        assertEquals(Verdict.SECOND, Verdict.parse("Since B is right, I choose response 2."));
        assertEquals(Verdict.SECOND, Verdict.parse("I Choose Response 1"));
        assertEquals(Verdict.SECOND, Verdict.parse(""));
        // The reference's substring test, kept as is: "response 10" contains "response 1".
        assertEquals(Verdict.FIRST, Verdict.parse("I choose response 10"));
    }

    @Test
    void nextStageContinuesFromTheWinnersExactTokens() {
        // Candidate 0 of SUMMARY is malformed, so candidate 1 wins; its ids differ from a re-encoding of its text.
        ScriptedBackend backend = new ScriptedBackend().batch("no tags here", "<SUMMARY>plan</SUMMARY>");
        ReasoningResult result = run(backend, settings(2).build());

        assertEquals(1, result.steps().get(0).winner());
        int[] prompt = backend.prompts.get(0).ids();
        int[] expected = prompt;
        List<Call> batches = backend.calls(Kind.CANDIDATES);
        for (int i = 0; i < result.steps().size(); i++) {
            assertArrayEquals(expected, batches.get(i).request().prefix(), "prefix of " + result.steps().get(i).step());
            expected = ScriptedBackend.concat(expected, result.steps().get(i).winnerCandidate().tokens());
        }
        int[] captionPrefix = batches.get(1).request().prefix();
        assertArrayEquals(ScriptedBackend.ids("<SUMMARY>plan</SUMMARY>", 1),
                java.util.Arrays.copyOfRange(captionPrefix, prompt.length, captionPrefix.length));
        assertEquals("plan", result.summary());
    }

    @Test
    void tokenCountsAddUp() {
        ScriptedBackend backend = new ScriptedBackend();
        ReasoningResult result = run(backend, settings(3).build());

        int answer = 0;
        int candidates = 0;
        for (StageTrace trace : result.steps()) {
            answer += trace.winnerCandidate().tokens().length;
            int stepCandidates = trace.candidates().stream().mapToInt(c -> c.tokens().length).sum();
            assertEquals(stepCandidates, trace.candidateTokens());
            candidates += stepCandidates;
        }
        int judges = 0;
        for (Call call : backend.calls) {
            if (call.kind() != Kind.CANDIDATES) {
                judges += call.outputs().get(0).tokens().length;
            }
        }
        assertEquals(answer, result.answerTokens());
        assertEquals(result.answer().length(), result.answerTokens(), "one character per token, no EOS");
        assertEquals(candidates, result.candidateTokens());
        assertEquals(judges, result.judgeTokens());
        assertTrue(judges > 0);
    }

    @Test
    void firstCandidateStrategyMakesNoJudgeCalls() {
        ScriptedBackend backend = new ScriptedBackend();
        ReasoningResult result = run(backend, settings(3).judgeStrategy(JudgeStrategy.FIRST_CANDIDATE).build());

        assertEquals(0, backend.calls(Kind.JUDGE).size());
        assertEquals(0, backend.calls(Kind.PRECHECK).size());
        for (StageTrace trace : result.steps()) {
            assertEquals(0, trace.winner());
            trace.judgements().forEach(j -> assertEquals(DecidedBy.STRATEGY, j.decidedBy()));
        }
    }

    @Test
    void stagesNotListedAreSampledOnceWithoutJudging() {
        ScriptedBackend backend = new ScriptedBackend();
        ReasoningResult result = run(backend, settings(3).stages(Set.of(Stage.REASONING)).build());

        assertEquals(List.of(1, 1, 3, 1), backend.calls(Kind.CANDIDATES).stream().map(c -> c.request().n()).toList());
        assertEquals(List.of(0, 0, 2, 0), result.steps().stream().map(t -> t.judgements().size()).toList());
    }

    /**
     * The reference samples candidates and judges through transformers' generate with do_sample, temperature 0.6
     * and top_p 0.9 and no top_k; LLaVA-o1's generation_config.json sets none, so transformers' default top_k = 50
     * applies to every call. Unset, the search takes the backend's default (the checkpoint's, else 50).
     */
    @Test
    void everyCallSamplesWithTheModelsDefaultTopKUnlessSet() {
        ScriptedBackend backend = new ScriptedBackend();
        run(backend, settings(2).build());
        assertFalse(backend.calls.isEmpty());
        for (Call call : backend.calls) {
            assertEquals(50, call.request().topK(), call.kind() + " call");
        }

        ScriptedBackend checkpointSetsOne = new ScriptedBackend().defaultTopK(20);
        run(checkpointSetsOne, settings(2).build());
        checkpointSetsOne.calls.forEach(call -> assertEquals(20, call.request().topK(), call.kind() + " call"));

        ScriptedBackend overridden = new ScriptedBackend().defaultTopK(20);
        run(overridden, settings(2).candidateTopK(0).judgeTopK(7).build());
        for (Call call : overridden.calls) {
            assertEquals(call.kind() == Kind.CANDIDATES ? 0 : 7, call.request().topK(), call.kind() + " call");
        }
    }

    @Test
    void samplingSettingsReachTheBackend() {
        ScriptedBackend backend = new ScriptedBackend();
        run(backend, settings(2).candidateTemperature(0.3).candidateTopP(0.5).judgeTemperature(0.1).judgeTopP(0.7)
                .maxTokens(Stage.CAPTION, 99).judgeMaxTokens(77).build());

        ScriptedBackend.Request caption = backend.calls(Kind.CANDIDATES).get(1).request();
        assertEquals(0.3, caption.temperature());
        assertEquals(0.5, caption.topP());
        assertEquals(99, caption.maxNewTokens());
        assertTrue(caption.withImages());
        for (Call call : backend.calls) {
            if (call.kind() != Kind.CANDIDATES) {
                assertEquals(0.1, call.request().temperature());
                assertEquals(0.7, call.request().topP());
                assertEquals(77, call.request().maxNewTokens());
                assertEquals(call.kind() == Kind.JUDGE, call.request().withImages());
            }
        }
    }

    @Test
    void theSearchStartsFromTheQuestionPromptAndTheRequestGetsTheSequentialFlag() {
        ScriptedBackend backend = new ScriptedBackend();
        run(backend, settings(2).sequential(true).build());
        int[] prompt = backend.prompts.get(0).ids();
        assertArrayEquals(new int[]{ScriptedBackend.BOS, ScriptedBackend.BOS, ScriptedBackend.IMAGE},
                java.util.Arrays.copyOf(prompt, 3));
        assertEquals(QUESTION, backend.prompts.get(0).text());
        assertEquals(List.of(true), backend.openedSequential);

        ScriptedBackend cached = new ScriptedBackend();
        run(cached, settings(2).build());
        assertEquals(List.of(false), cached.openedSequential);
    }

    @Test
    void aQuestionWithoutImagesIsTextOnlyThroughout() {
        ScriptedBackend backend = new ScriptedBackend();
        new StagedReasoner(settings(2).build()).reason(backend.request(QUESTION, 0));
        backend.calls.forEach(call -> assertFalse(call.request().withImages()));
        backend.prompts.forEach(p -> assertFalse(p.withImages()));
    }

    @Test
    void resultHasTheStageTextsAndTheFinalAnswer() {
        ScriptedBackend backend = new ScriptedBackend()
                .batch("<SUMMARY> Count the apples. </SUMMARY>", "<SUMMARY>Count.</SUMMARY>")
                .batch("<CAPTION>Three apples.</CAPTION>", "<CAPTION>Apples.</CAPTION>")
                .batch("<REASONING>There are 3.</REASONING>", "<REASONING>3.</REASONING>")
                .batch("<CONCLUSION>3</CONCLUSION>", "<CONCLUSION>three</CONCLUSION>")
                .judges("I choose response 1", "I choose response 1", "I choose response 1", "I choose response 1");
        ReasoningResult result = run(backend, settings(2).reasoningPrecheck(false).build());

        List<String> winners = result.steps().stream().map(t -> t.winnerCandidate().item().trim()).toList();
        assertEquals(List.of(result.summary(), result.caption(), result.reasoning(), result.conclusion()), winners);
        assertEquals(result.conclusion(), result.finalAnswer());
        assertEquals(List.of(), result.repairedStages());
        assertEquals(String.join("", result.steps().stream().map(t -> t.winnerCandidate().text()).toList()),
                result.answer());
    }
}
