package io.github.llavao1.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import io.github.llavao1.reasoning.Candidate;
import io.github.llavao1.reasoning.CandidateFormat;
import io.github.llavao1.reasoning.DecidedBy;
import io.github.llavao1.reasoning.Judgement;
import io.github.llavao1.reasoning.Precheck;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StageTrace;
import io.github.llavao1.reasoning.StagedReasoner;
import io.github.llavao1.reasoning.Verdict;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reasoning search on the real engine. On the constructed checkpoint (answers fixed by construction) every mode's
 * happy path runs end to end: every stage closes, every comparison is decided by the judge's parsed verdict after the
 * pre-checks, and the conclusion is the scripted one. On the tiny random checkpoint, whose text nobody can predict,
 * only what holds for any weights is asserted: the structure, the bookkeeping and reproducibility under a seed.
 */
class EngineReasoningEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONCLUSION = "The picture holds (exactly|roughly) a few coloured figures, so count each one\\.";
    private static LlavaEngine constructed;
    private static ProcessedImage constructedImage;
    private static LlavaEngine random;
    private static ProcessedImage randomImage;

    @BeforeAll
    static void load() {
        constructed = Tiny.constructedEngine();
        constructedImage = constructed.processImage(Fixtures.constructedCheckpoint().resolve("square.png"));
        random = Tiny.engine();
        randomImage = random.processImage(Fixtures.tinyCheckpoint().resolve("square.png"));
    }

    static Stream<Arguments> modesAndCandidates() {
        return Stream.of(ReasoningMode.values()).flatMap(mode -> Stream.of(1, 2, 4).map(n -> Arguments.of(mode, n)));
    }

    private static ReasoningSettings.Builder settings(ReasoningMode mode, int n) {
        return ReasoningSettings.builder().mode(mode).candidates(n).maxTokens(16).judgeMaxTokens(16);
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("modesAndCandidates")
    void onTheConstructedCheckpointEveryModeAnswersInFourClosedStages(ReasoningMode mode, int n) throws Exception {
        StagedReasoner reasoner = new StagedReasoner(settings(mode, n).build());
        ReasoningResult result = reasoner.reason(
                EngineReasoning.question(constructed, "How many shapes are in the picture?", List.of(constructedImage)));
        assertTrue(result.conclusion().matches(CONCLUSION), result.conclusion());
        assertEquals("We will describe the image first.", result.summary());
        assertTrue(result.caption().matches("It shows (red|blue) shapes on white\\."), result.caption());
        assertTrue(result.reasoning().matches("Counting them gives (three|four) in all\\."), result.reasoning());
        assertEquals(List.of(), result.repairedStages(), "nothing to repair");
        if (mode == ReasoningMode.STAGE_BEAM) {
            assertEquals(List.of(Stage.values()), result.steps().stream().map(StageTrace::stage).toList());
        }
        for (StageTrace step : result.steps()) {
            int sampled = mode == ReasoningMode.PLAIN ? 1 : n;
            assertEquals(sampled, step.candidates().size(), step.step());
            assertEquals(sampled - 1, step.judgements().size(), step.step() + " judgements");
            for (Candidate candidate : step.candidates()) {
                if (mode != ReasoningMode.PLAIN) {
                    assertEquals(CandidateFormat.WELL_FORMED, candidate.format(), step.step() + ": " + candidate.text());
                }
            }
            for (Judgement judgement : step.judgements()) {
                assertJudged(step, judgement);
            }
        }
    }

    /** Every comparison ran the judge (after the REASONING pre-checks, which find each candidate correct). */
    private static void assertJudged(StageTrace step, Judgement judgement) {
        assertEquals(DecidedBy.JUDGE, judgement.decidedBy(), step.step());
        assertTrue(judgement.judgeOutput().matches("Since both are clear, I choose response [12]\\."), judgement.judgeOutput());
        assertEquals(Verdict.parse(judgement.judgeOutput()), judgement.verdict(), "the parsed verdict decides");
        for (Precheck precheck : judgement.prechecks()) {
            assertEquals("The reasoning is correct.", precheck.output());
            assertFalse(precheck.incorrect());
        }
        if (step.stage() == Stage.REASONING && step.judgements().indexOf(judgement) == 0) {
            assertEquals(2, judgement.prechecks().size(), "the first pairing checks both candidates");
        }
    }

    @Test
    void stageBeamSearchDecidesEveryStageByTheJudgesVerdictAndTheWinnerContinues() {
        Set<Verdict> verdicts = new HashSet<>();
        for (long seed = 0; seed < 4; seed++) {
            ReasoningResult result = new StagedReasoner(settings(ReasoningMode.STAGE_BEAM, 2).seed(seed).build())
                    .reason(EngineReasoning.question(constructed, "What is shown?", List.of(constructedImage)));
            StringBuilder winners = new StringBuilder();
            for (StageTrace step : result.steps()) {
                Judgement judgement = step.judgements().get(0);
                assertEquals(DecidedBy.JUDGE, judgement.decidedBy(), step.step());
                assertEquals(judgement.winner(), step.winner(), "the verdict's candidate wins");
                verdicts.add(judgement.verdict());
                Candidate winner = step.winnerCandidate();
                assertTrue(winner.text().startsWith(step.stage().openTag()) && winner.text().endsWith(step.stage().closeTag()),
                        winner.text());
                winners.append(winner.text());
            }
            assertEquals(winners.toString(), result.answer(), "each stage continues from the previous winner");
        }
        // 16 verdicts, each "1" or "2" at near-even odds: all alike has a chance of 2 × 0.5^16
        assertEquals(Set.of(Verdict.FIRST, Verdict.SECOND), verdicts);
    }

    @Test
    void sequentialModeRunsTheSameSearchWithoutCaching() {
        // its candidates are calls of their own, seeded apart, so they may sample other branches than the batch does
        ReasoningResult sequential = new StagedReasoner(settings(ReasoningMode.STAGE_BEAM, 2).sequential(true).build())
                .reason(EngineReasoning.question(constructed, "Describe the image.", List.of(constructedImage)));
        assertEquals(List.of(Stage.values()), sequential.steps().stream().map(StageTrace::stage).toList());
        sequential.steps().forEach(step -> assertJudged(step, step.judgements().get(0)));
        assertTrue(sequential.conclusion().matches(CONCLUSION), sequential.conclusion());
    }

    @Test
    void textOnlyQuestionsWork() {
        ReasoningResult result = new StagedReasoner(settings(ReasoningMode.STAGE_BEAM, 2).build())
                .reason(EngineReasoning.question(constructed, "What is two plus two?", List.of()));
        assertEquals(4, result.steps().size());
        assertTrue(result.conclusion().matches(CONCLUSION), result.conclusion());
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("modesAndCandidates")
    void onRandomWeightsEveryModeKeepsItsStructureAndIsReproducible(ReasoningMode mode, int n) throws Exception {
        StagedReasoner reasoner = new StagedReasoner(settings(mode, n).maxTokens(6).judgeMaxTokens(6).seed(7L).build());
        EngineReasoning request = EngineReasoning.question(random, "How many red circles are in the picture?",
                List.of(randomImage));
        ReasoningResult first = reasoner.reason(request);
        ReasoningResult second = reasoner.reason(request);
        assertEquals(withoutTimes(first), withoutTimes(second), mode + " N=" + n + " is not reproducible under a seed");
        assertTrue(first.answerTokens() > 0);
        if (mode == ReasoningMode.STAGE_BEAM) {
            assertTrue(first.steps().size() <= Stage.values().length, "at most one step per stage");
        }
        for (StageTrace step : first.steps()) {
            assertEquals(mode == ReasoningMode.PLAIN ? 0 : n - 1, step.judgements().size(), step.step() + " judgements");
            boolean anyWellFormed = step.candidates().stream().anyMatch(c -> c.format() == CandidateFormat.WELL_FORMED);
            if (anyWellFormed && mode != ReasoningMode.PLAIN) {
                assertEquals(CandidateFormat.WELL_FORMED, step.winnerCandidate().format(), "well-formed beats malformed");
            }
        }
    }

    /** The JSON form with wall-clock fields removed. */
    private static String withoutTimes(ReasoningResult result) throws Exception {
        ObjectNode tree = JSON.valueToTree(result);
        tree.remove("wallMillis");
        tree.withArray("steps").forEach(step -> ((ObjectNode) step).remove("wallMillis"));
        return tree.toString();
    }
}
