package io.github.llavao1.reasoning;

import io.github.llavao1.reasoning.ScriptedBackend.Call;
import io.github.llavao1.reasoning.ScriptedBackend.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.llavao1.reasoning.JudgeAndPrecheckTest.expectedJudgePrompt;
import static io.github.llavao1.reasoning.StageBeamSearchTest.run;
import static io.github.llavao1.reasoning.StageBeamSearchTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain, best-of-N and sentence-level modes. */
class OtherModesTest {

    static final String FULL = "<SUMMARY>Count.</SUMMARY><CAPTION>Apples.</CAPTION>"
            + "<REASONING>1+2=3.</REASONING><CONCLUSION>3</CONCLUSION>";

    @Test
    void plainIsOnePassUntilEos() {
        ScriptedBackend backend = new ScriptedBackend().batch(FULL);
        ReasoningResult result = run(backend, settings(4).mode(ReasoningMode.PLAIN).build());

        assertEquals(1, backend.calls.size());
        ScriptedBackend.Request request = backend.calls.get(0).request();
        assertEquals(1, request.n());
        assertEquals(List.of(), request.stopStrings());
        assertEquals(4 * 2048, request.maxNewTokens());
        StageTrace answer = result.steps().get(0);
        assertEquals("ANSWER", answer.step());
        assertEquals(StopReason.EOS, answer.winnerCandidate().finishReason());
        assertEquals(0, answer.judgements().size());
        assertEquals("3", result.finalAnswer());
        assertEquals("1+2=3.", result.reasoning());
        assertEquals(FULL.length() + 1, result.answerTokens(), "EOS is part of the answer's tokens");
        assertEquals(FULL, result.answer());
    }

    @Test
    void bestOfNJudgesWholeAnswersWithTheAllJudge() {
        String other = FULL.replace(">3<", ">4<");
        ScriptedBackend backend = new ScriptedBackend()
                .batch(FULL + "<|trailing text|>", other, "<SUMMARY>cut short")
                .judges("I choose response 2");
        ReasoningResult result = run(backend, settings(3).mode(ReasoningMode.BEST_OF_N).build());

        ScriptedBackend.Request request = backend.calls(Kind.CANDIDATES).get(0).request();
        assertEquals(3, request.n());
        assertEquals(List.of("</CONCLUSION>"), request.stopStrings());
        StageTrace answer = result.steps().get(0);
        assertEquals(FULL, answer.candidates().get(0).text(), "stopped at </CONCLUSION>");
        assertEquals(CandidateFormat.UNCLOSED, answer.candidates().get(2).format());
        assertEquals(2, answer.judgements().size());

        List<Call> judges = backend.calls(Kind.JUDGE);
        assertEquals(1, judges.size(), "the malformed answer loses without a call");
        Judgement judged = answer.judgements().stream().filter(j -> j.decidedBy() == DecidedBy.JUDGE).findFirst()
                .orElseThrow();
        String expected = expectedJudgePrompt("all", null, answer.candidates().get(judged.first()).text(),
                answer.candidates().get(judged.second()).text());
        assertEquals(expected, backend.prompts.stream().filter(p -> p.text().startsWith("Now you act")).findFirst()
                .orElseThrow().text());
        assertEquals(judged.second(), answer.winner());
        assertEquals(answer.winner() == 0 ? "3" : "4", result.finalAnswer());
        assertEquals(0, backend.calls(Kind.PRECHECK).size());
    }

    @Test
    void sentenceBeamJudgesSentenceBySentenceUntilTheConclusionCloses() {
        ScriptedBackend backend = new ScriptedBackend()
                .batch("<SUMMARY>First.", "<SUMMARY>Other.")
                .batch(" Second.", " Alt.")
                .batch("</SUMMARY><CONCLUSION>B</CONCLUSION> and more", "</SUMMARY> still going")
                .judges("I choose response 1", "I choose response 1", "I choose response 1");
        ReasoningResult result = run(backend, settings(2).mode(ReasoningMode.SENTENCE_BEAM).build());

        assertEquals(List.of("SENTENCE 1", "SENTENCE 2", "SENTENCE 3"),
                result.steps().stream().map(StageTrace::step).toList());
        // the reference's StopOnStrings(['</CONCLUSION>']) and StopOnPeriod (decoded text ends with ".")
        backend.calls(Kind.CANDIDATES).forEach(c -> {
            assertEquals(List.of("</CONCLUSION>"), c.request().stopStrings());
            assertEquals(List.of("."), c.request().stopSuffixes());
        });
        StageTrace third = result.steps().get(2);
        assertEquals(CandidateFormat.WELL_FORMED, third.candidates().get(0).format());
        assertEquals(CandidateFormat.UNCLOSED, third.candidates().get(1).format());
        assertEquals(0, third.winner());
        assertEquals("B", result.finalAnswer());

        List<String> judgePrompts = backend.prompts.stream().map(ScriptedBackend.PromptCall::text)
                .filter(t -> t.startsWith("Now you act")).toList();
        assertEquals(2, judgePrompts.size(), "the third pairing is decided by format");
        StageTrace first = result.steps().get(0);
        Judgement opening = first.judgements().get(0);
        assertEquals(expectedJudgePrompt("sentence", null, first.candidates().get(opening.first()).text(),
                first.candidates().get(opening.second()).text()), judgePrompts.get(0));
        String soFar = first.winnerCandidate().text();
        StageTrace second = result.steps().get(1);
        Judgement next = second.judgements().get(0);
        assertEquals(expectedJudgePrompt("sentence", soFar, second.candidates().get(next.first()).text(),
                second.candidates().get(next.second()).text()), judgePrompts.get(1));
    }

    @Test
    void sentenceBeamEndsAtEos() {
        ScriptedBackend backend = new ScriptedBackend().batch("No period here", "Nor here");
        ReasoningResult result = run(backend, settings(2).mode(ReasoningMode.SENTENCE_BEAM).build());

        assertEquals(1, result.steps().size());
        assertEquals(0, result.steps().get(0).winner());
        assertEquals("No period here", result.finalAnswer());
        assertEquals(0, backend.calls(Kind.JUDGE).size());
    }

    @Test
    void sentenceBeamStopsAtTheAnswerBudget() {
        ScriptedBackend backend = new ScriptedBackend()
                .defaultCandidates(request -> java.util.Collections.nCopies(request.n(), "abcdefgh."));
        ReasoningResult result = run(backend, settings(2).mode(ReasoningMode.SENTENCE_BEAM).maxTokens(3).build());

        assertEquals(4, result.steps().size(), "4 stages x 3 tokens, 3 tokens per sentence call");
        assertEquals(12, result.answerTokens());
        backend.calls(Kind.CANDIDATES).forEach(c -> assertEquals(3, c.request().maxNewTokens()));
        assertFalse(result.answer().contains("."));
    }

    @Test
    void sentenceBudgetFollowsTheStageTheAnswerIsIn() {
        assertEquals(Stage.SUMMARY, SentenceBeamSearch.currentStage(""));
        assertEquals(Stage.CAPTION, SentenceBeamSearch.currentStage("<SUMMARY>a</SUMMARY><CAPTION>b"));
        assertEquals(Stage.CONCLUSION, SentenceBeamSearch.currentStage("<REASONING>x</REASONING><CONCLUSION>"));
        // The second candidate ends unclosed, so the first (now inside CAPTION) wins without a judge.
        ScriptedBackend backend = new ScriptedBackend().batch("<SUMMARY>a</SUMMARY><CAPTION>b.", "x")
                .defaultCandidates(request -> java.util.Collections.nCopies(request.n(), "</CONCLUSION>"));
        run(backend, settings(2).mode(ReasoningMode.SENTENCE_BEAM).maxTokens(Stage.CAPTION, 40).build());
        List<Call> batches = backend.calls(Kind.CANDIDATES);
        assertEquals(List.of(2048, 40), batches.stream().map(c -> c.request().maxNewTokens()).toList());
    }
}
