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
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StagedReasoner;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * The reasoning search on the real engine with the tiny random checkpoint: it never writes the stage tags, so this
 * exercises the repair path end to end; every mode and N must still return four stages, reproducibly.
 */
class EngineReasoningEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LlavaEngine engine;
    private static ProcessedImage image;

    @BeforeAll
    static void load() {
        engine = Tiny.engine();
        image = engine.processImage(Fixtures.tinyCheckpoint().resolve("square.png"));
    }

    static Stream<Arguments> modesAndCandidates() {
        return Stream.of(ReasoningMode.values()).flatMap(mode -> Stream.of(1, 2, 4).map(n -> Arguments.of(mode, n)));
    }

    private static ReasoningSettings settings(ReasoningMode mode, int n, boolean sequential) {
        return ReasoningSettings.builder().mode(mode).candidates(n).maxTokens(6).judgeMaxTokens(6).seed(7L)
                .sequential(sequential).build();
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("modesAndCandidates")
    void everyModeReturnsFourStagesReproducibly(ReasoningMode mode, int n) throws Exception {
        StagedReasoner reasoner = new StagedReasoner(settings(mode, n, false));
        EngineReasoning request =
                EngineReasoning.question(engine, "How many red circles are in the picture?", List.of(image));
        ReasoningResult first = reasoner.reason(request);
        ReasoningResult second = reasoner.reason(request);
        assertFalse(first.conclusion().isBlank(), "a final answer");
        if (mode == ReasoningMode.STAGE_BEAM && first.steps().size() == Stage.values().length) {
            // untagged output written stage by stage: every stage keeps its own step's text
            for (Stage stage : Stage.values()) {
                assertFalse(first.stageText(stage).isBlank(), stage + " text");
            }
        }
        assertTrue(first.answerTokens() > 0);
        assertEquals(withoutTimes(first), withoutTimes(second), mode + " N=" + n + " is not reproducible under a seed");
        if (mode == ReasoningMode.STAGE_BEAM && n > 1) {
            assertEquals(Stage.values().length, first.steps().size(), "with this seed no stage winner ends the turn early");
            first.steps().forEach(step -> assertEquals(n - 1, step.judgements().size(), step.step() + " judgements"));
        }
    }

    @Test
    void sequentialModeFindsTheSameStructureWithoutCaching() {
        ReasoningResult result = new StagedReasoner(settings(ReasoningMode.STAGE_BEAM, 2, true))
                .reason(EngineReasoning.question(engine, "Describe the image.", List.of(image)));
        assertEquals(4, result.steps().size());
        result.steps().forEach(step -> assertEquals(1, step.judgements().size()));
    }

    @Test
    void textOnlyQuestionsWork() {
        ReasoningResult result = new StagedReasoner(settings(ReasoningMode.STAGE_BEAM, 2, false))
                .reason(EngineReasoning.question(engine, "What is two plus two?", List.of()));
        assertEquals(4, result.steps().size());
        assertFalse(result.conclusion().isBlank());
    }

    /** The JSON form with wall-clock fields removed. */
    private static String withoutTimes(ReasoningResult result) throws Exception {
        ObjectNode tree = JSON.valueToTree(result);
        tree.remove("wallMillis");
        tree.withArray("steps").forEach(step -> ((ObjectNode) step).remove("wallMillis"));
        return tree.toString();
    }
}
