package io.github.llavao1.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.langchain4j.ImagePolicy;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The validators name the rejected field in {@code field()}, which callers map without reading the message. */
class InvalidSettingExceptionTest {

    @Test
    void validatorsReportTheFieldTheyReject() {
        assertField("maxImageBytes", "maxImageBytes must be >= 1, got 0", () -> EngineOptions.builder().maxImageBytes(0).build());
        assertField("device", "device must be auto, cpu, gpu or gpu:N, got 'tpu'", () -> EngineOptions.builder().device("tpu").build());
        assertField("maxTokens[CAPTION]", "maxTokens[CAPTION] must be at least 1, was 0",
                () -> ReasoningSettings.builder().maxTokens(Stage.CAPTION, 0).build());
        assertField("candidateTopP", "candidateTopP must be in (0, 1], was 1.5",
                () -> ReasoningSettings.builder().candidateTopP(1.5).build());
        assertField("maxPixels", "maxPixels must be >= 1, was 0", () -> ImagePolicy.builder().maxPixels(0).build());
        assertField("modelId", "modelId must look like owner/name", () -> new HubModel("../etc", "main"));
    }

    private static void assertField(String field, String messageStart, Executable validation) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, validation);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }
}
