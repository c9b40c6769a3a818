package io.github.llavao1.reasoning;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults and validation messages of the settings, the mode names and the generation request. */
class ReasoningSettingsTest {

    static void assertRejected(String expectedMessagePart, Executable build) {
        Exception e = assertThrows(RuntimeException.class, build);
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    }

    @Test
    void defaultsAreTheReferences() {
        ReasoningSettings settings = ReasoningSettings.defaults();
        assertEquals(ReasoningMode.STAGE_BEAM, settings.mode());
        assertEquals(2, settings.candidates());
        assertEquals(EnumSet.allOf(Stage.class), settings.stages());
        assertEquals(0.6, settings.candidateTemperature());
        assertEquals(0.9, settings.candidateTopP());
        assertEquals(0.6, settings.judgeTemperature());
        assertEquals(0.9, settings.judgeTopP());
        assertNull(settings.candidateTopK(), "top-k: the model's default, as the reference's generate");
        assertNull(settings.judgeTopK());
        for (Stage stage : Stage.values()) {
            assertEquals(2048, settings.maxTokens(stage));
        }
        assertEquals(2048, settings.judgeMaxTokens());
        assertTrue(settings.reasoningPrecheck());
        assertEquals(JudgeStrategy.SELF_JUDGE, settings.judgeStrategy());
        assertNull(settings.seed());
        assertEquals(false, settings.sequential());
        assertEquals(4 * 2048, settings.answerBudget());
        assertEquals(settings, settings.toBuilder().build());
    }

    @Test
    void invalidSettingsNameTheField() {
        assertRejected("candidates must be between 1 and 64, was 0",
                () -> ReasoningSettings.builder().candidates(0).build());
        assertRejected("candidates must be between 1 and 64, was 65",
                () -> ReasoningSettings.builder().candidates(65).build());
        assertRejected("candidateTemperature", () -> ReasoningSettings.builder().candidateTemperature(-0.1).build());
        assertRejected("candidateTopP must be in (0, 1], was 0.0",
                () -> ReasoningSettings.builder().candidateTopP(0).build());
        assertRejected("judgeTemperature", () -> ReasoningSettings.builder().judgeTemperature(Double.NaN).build());
        assertRejected("judgeTopP must be in (0, 1], was 1.5", () -> ReasoningSettings.builder().judgeTopP(1.5).build());
        assertRejected("maxTokens[CAPTION] must be at least 1, was 0",
                () -> ReasoningSettings.builder().maxTokens(Stage.CAPTION, 0).build());
        assertRejected("judgeMaxTokens", () -> ReasoningSettings.builder().judgeMaxTokens(0).build());
        assertRejected("candidateTopK must be >= 0", () -> ReasoningSettings.builder().candidateTopK(-1).build());
        assertRejected("judgeTopK must be >= 0", () -> ReasoningSettings.builder().judgeTopK(-2).build());
        assertRejected("mode", () -> ReasoningSettings.builder().mode(null).build());
        assertRejected("judgeStrategy", () -> ReasoningSettings.builder().judgeStrategy(null).build());
        assertRejected("stages", () -> ReasoningSettings.builder().stages(null).build());
    }

    @Test
    void stagesKeepStageOrderAndMayBeEmpty() {
        ReasoningSettings settings = ReasoningSettings.builder()
                .stages(Set.of(Stage.CONCLUSION, Stage.SUMMARY)).build();
        assertEquals(List.of(Stage.SUMMARY, Stage.CONCLUSION), List.copyOf(settings.stages()));
        assertEquals(Set.of(), ReasoningSettings.builder().stages(Set.of()).build().stages());
    }

    @Test
    void modesHaveConfigNames() {
        for (ReasoningMode mode : ReasoningMode.values()) {
            assertEquals(mode, ReasoningMode.fromConfigName(mode.configName()));
        }
        assertEquals(ReasoningMode.STAGE_BEAM, ReasoningMode.fromConfigName("stage-beam"));
        assertRejected("mode must be one of plain, stage-beam, best-of-n, sentence-beam, was beam",
                () -> ReasoningMode.fromConfigName("beam"));
    }

    @Test
    void samplingIsValidated() {
        assertRejected("topP", () -> new Sampling(0.6, 0, 50, 1, List.of(), List.of(), 0));
        assertRejected("maxNewTokens", () -> new Sampling(0.6, 0.9, 50, 0, List.of(), List.of(), 0));
        assertRejected("stopStrings", () -> new Sampling(0.6, 0.9, 50, 1, List.of(""), List.of(), 0));
        assertRejected("stopSuffixes", () -> new Sampling(0.6, 0.9, 50, 1, List.of(), List.of(""), 0));
        assertRejected("topK must be >= 0", () -> new Sampling(0.6, 0.9, -1, 1, List.of(), List.of(), 0));
    }

    @Test
    void reasonerRejectsMissingArguments() {
        StagedReasoner reasoner = new StagedReasoner(ReasoningSettings.defaults());
        assertRejected("request", () -> reasoner.reason(null));
        assertRejected("listener", () -> reasoner.reason(new ScriptedBackend().request("q", 0), null));
        assertRejected("settings", () -> new StagedReasoner(null));
    }
}
