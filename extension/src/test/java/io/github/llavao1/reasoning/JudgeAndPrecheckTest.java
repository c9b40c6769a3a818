package io.github.llavao1.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.reasoning.ScriptedBackend.Call;
import io.github.llavao1.reasoning.ScriptedBackend.Kind;
import io.github.llavao1.reasoning.ScriptedBackend.PromptCall;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static io.github.llavao1.reasoning.StageBeamSearchTest.QUESTION;
import static io.github.llavao1.reasoning.StageBeamSearchTest.run;
import static io.github.llavao1.reasoning.StageBeamSearchTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Judge prompt construction, the reasoning pre-check's order and short-circuits, and the caching of its results. */
class JudgeAndPrecheckTest {

    static final String CAPTION = "<CAPTION>Three red apples on a wooden table.</CAPTION>";
    /** The bundled strings, read independently of {@link JudgePrompts}. */
    static final JsonNode strings = readStrings();

    private static JsonNode readStrings() {
        try (InputStream in = JudgePrompts.class.getResourceAsStream(JudgePrompts.RESOURCE)) {
            return new ObjectMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String expectedJudgePrompt(String kind, String hint, String first, String second) {
        String recall = strings.path("recall").has(kind) ? strings.path("recall").get(kind).asText() : "";
        return strings.path("judge").get(kind).asText() + "\n\nQuestion: " + QUESTION
                + (hint == null ? "" : "\n\nHint about the Question: " + hint)
                + "\nRepsonse 1: " + first + "\nRepsonse 2: " + second + "\n\n" + recall
                + strings.get("suffix").asText() + strings.get("format").asText();
    }

    /** A backend whose SUMMARY and CAPTION are fixed, so REASONING and CONCLUSION hints are known. */
    static ScriptedBackend scriptedUpToReasoning() {
        return new ScriptedBackend()
                .batch("<SUMMARY>Count them.</SUMMARY>", "<SUMMARY>Count the apples.</SUMMARY>")
                .batch(CAPTION, CAPTION)
                .batch("<REASONING>One, two, three.</REASONING>", "<REASONING>Two plus two is three.</REASONING>")
                .batch("<CONCLUSION>3</CONCLUSION>", "<CONCLUSION>4</CONCLUSION>")
                .judges("I choose response 1", "I choose response 1");
    }

    static List<PromptCall> judgePrompts(ScriptedBackend backend) {
        return backend.prompts.stream().filter(p -> p.text().startsWith("Now you act as a judge")).toList();
    }

    @Test
    void stageJudgePromptsAreTheReferenceLayoutWithTheImage() {
        ScriptedBackend backend = scriptedUpToReasoning();
        ReasoningResult result = run(backend, settings(2).reasoningPrecheck(false).build());
        List<PromptCall> judges = judgePrompts(backend);
        assertEquals(4, judges.size());

        String[] kinds = {"summary", "caption", "reasoning", "conclusion"};
        // REASONING's hint is the CAPTION text, CONCLUSION's CAPTION and REASONING without a separator.
        String caption = "Three red apples on a wooden table.";
        String[] hints = {null, null, caption, caption + result.steps().get(2).winnerCandidate().item()};
        for (int s = 0; s < 4; s++) {
            StageTrace trace = result.steps().get(s);
            Judgement judgement = trace.judgements().get(0);
            String expected = expectedJudgePrompt(kinds[s], hints[s],
                    trace.candidates().get(judgement.first()).item(), trace.candidates().get(judgement.second()).item());
            assertEquals(expected, judges.get(s).text(), kinds[s]);
            assertTrue(judges.get(s).withImages(), "judge sees the image");
        }
    }

    @Test
    void precheckIncorrectOnTheFirstCandidateHandsThePairingToTheSecondAtOnce() {
        ScriptedBackend backend = scriptedUpToReasoning().prechecks("The reasoning is incorrect.");
        ReasoningResult result = run(backend, settings(2).build());

        StageTrace reasoning = result.steps().get(2);
        Judgement judgement = reasoning.judgements().get(0);
        assertEquals(DecidedBy.PRECHECK, judgement.decidedBy());
        assertTrue(judgement.decidedByPrecheck());
        assertEquals(Verdict.SECOND, judgement.verdict());
        assertNull(judgement.judgeOutput());
        assertEquals(1, judgement.prechecks().size());
        assertEquals(judgement.first(), judgement.prechecks().get(0).candidate());
        assertEquals(1, backend.calls(Kind.PRECHECK).size());
        assertEquals(3, backend.calls(Kind.JUDGE).size(), "no pairwise judge in the reasoning stage");

        PromptCall check = backend.prompts.stream().filter(p -> p.text().contains("Reasoning Process: ")).findFirst()
                .orElseThrow();
        assertFalse(check.withImages(), "the pre-check is text-only");
        assertEquals(strings.get("reasoning_check").asText() + "\n\nGiven Information: "
                        + "Three red apples on a wooden table." + "\n\nReasoning Process: "
                        + reasoning.candidates().get(judgement.first()).item(),
                check.text());
    }

    @Test
    void precheckIncorrectOnTheSecondCandidateKeepsTheFirst() {
        ScriptedBackend backend = scriptedUpToReasoning().prechecks("correct", "incorrect");
        ReasoningResult result = run(backend, settings(2).build());

        Judgement judgement = result.steps().get(2).judgements().get(0);
        assertEquals(DecidedBy.PRECHECK, judgement.decidedBy());
        assertEquals(Verdict.FIRST, judgement.verdict());
        assertEquals(List.of(judgement.first(), judgement.second()),
                judgement.prechecks().stream().map(Precheck::candidate).toList());
        assertEquals(List.of(false, true), judgement.prechecks().stream().map(Precheck::incorrect).toList());
        assertEquals(3, backend.calls(Kind.JUDGE).size());
    }

    @Test
    void twoCorrectPrechecksLeaveTheDecisionToTheJudge() {
        ScriptedBackend backend = scriptedUpToReasoning().prechecks("correct", "correct");
        ReasoningResult result = run(backend, settings(2).build());

        Judgement judgement = result.steps().get(2).judgements().get(0);
        assertEquals(DecidedBy.JUDGE, judgement.decidedBy());
        assertEquals(2, judgement.prechecks().size());
        assertEquals(4, backend.calls(Kind.JUDGE).size());
        // Call order in the reasoning stage: candidates, check of the first, check of the second, judge.
        List<Kind> kinds = backend.calls.stream().map(Call::kind).toList();
        int reasoningBatch = 2 + 2; // SUMMARY batch + judge, CAPTION batch + judge
        assertEquals(List.of(Kind.CANDIDATES, Kind.PRECHECK, Kind.PRECHECK, Kind.JUDGE),
                kinds.subList(reasoningBatch, reasoningBatch + 4));
        assertTrue(backend.calls.get(reasoningBatch + 1).prefixText()
                .contains(result.steps().get(2).candidates().get(judgement.first()).item()));
        assertEquals(judgement.prechecks().stream().mapToInt(Precheck::tokens).sum()
                        + backend.calls.get(reasoningBatch + 3).outputs().get(0).tokens().length,
                judgement.judgeTokens());
    }

    @Test
    void precheckOffGoesStraightToTheJudge() {
        ScriptedBackend backend = scriptedUpToReasoning();
        ReasoningResult result = run(backend, settings(2).reasoningPrecheck(false).build());
        assertEquals(0, backend.calls(Kind.PRECHECK).size());
        assertEquals(DecidedBy.JUDGE, result.steps().get(2).judgements().get(0).decidedBy());
    }

    @Test
    void precheckRunsOnlyInTheReasoningStage() {
        ScriptedBackend backend = new ScriptedBackend();
        run(backend, settings(4).build());
        for (Call call : backend.calls(Kind.PRECHECK)) {
            assertTrue(call.prefixText().contains("Reasoning Process: reasoning "), call.prefixText());
        }
    }

    @Test
    void aCandidateIsPrecheckedAtMostOncePerStage() {
        ScriptedBackend backend = new ScriptedBackend();
        ReasoningResult result = run(backend, settings(4).build());

        StageTrace reasoning = result.steps().get(2);
        List<Integer> checked = reasoning.judgements().stream()
                .flatMap(j -> j.prechecks().stream().map(Precheck::candidate)).toList();
        assertEquals(List.of(0, 1, 2, 3), checked.stream().sorted().toList());
        assertEquals(4, backend.calls(Kind.PRECHECK).size());
        assertEquals(3, reasoning.judgements().stream().filter(j -> j.decidedBy() == DecidedBy.JUDGE).count());
    }

    @Test
    void bundledStringsAreTheReferenceStringsVerbatim() {
        assertEquals(" Please strictly follow the following format requirements when outputting, and don\u2019t have"
                + " any other unnecessary words.", strings.get("suffix").asText());
        assertEquals("\n\nOutput format: \"Since [reason], I choose response [1/2].\"", strings.get("format").asText());
        assertTrue(strings.get("reasoning_check").asText().contains("invovles"), "the reference's typo is kept");
        assertTrue(expectedJudgePrompt("summary", null, "a", "b").contains("\nRepsonse 1: a\nRepsonse 2: b\n\n"));
        String built = JudgePrompts.bundled().pairwise("all", QUESTION, "", "a", "b");
        assertEquals(expectedJudgePrompt("all", null, "a", "b"), built);
        assertTrue(built.contains("b\n\n Please strictly"), "no recall sentence for the all judge");
    }
}
