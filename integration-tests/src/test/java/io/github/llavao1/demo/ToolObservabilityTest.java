package io.github.llavao1.demo;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.langchain4j.LlavaO1ReasoningTool;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The reasoning tool, as a planner would call it, is counted like a chat call: quarkus-langchain4j's
 * {@code gen_ai_client_operation_duration} under the demo's {@code model-name}, and this extension's
 * {@code llava_o1_request_duration}.
 */
@QuarkusTest
class ToolObservabilityTest {

    private static final String GEN_AI = "gen_ai_client_operation_duration_seconds_count{";
    private static final String LLAVA = "llava_o1_request_duration_seconds_count{";

    @Inject
    LlavaO1ReasoningTool tool;

    @Test
    void aToolCallShowsInTheGenAiAndLlavaMetrics() throws Exception {
        String before = metrics();
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(
                TestImages.SQUARE.toPath()));
        tool.reasonAboutImage(image, "What shape is this?");
        String after = metrics();

        assertEquals(count(before, GEN_AI) + 1, count(after, GEN_AI), after);
        assertEquals(count(before, LLAVA) + 1, count(after, LLAVA), after);
        assertTrue(after.lines().anyMatch(l -> l.startsWith(GEN_AI)
                && l.contains("gen_ai_request_model=\"llava-o1-tiny-random\"")), after);
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum over every series of one Prometheus counter. */
    private static double count(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
