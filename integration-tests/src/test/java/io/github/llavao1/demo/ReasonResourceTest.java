package io.github.llavao1.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The REST endpoints and the AI service, on the tiny random checkpoint, as a client would call them. */
@QuarkusTest
class ReasonResourceTest {

    private static final List<String> STAGES = List.of("SUMMARY", "CAPTION", "REASONING", "CONCLUSION");

    @Test
    void reasonReturnsTheStagedResult() {
        JsonPath result = given().multiPart("image", TestImages.SQUARE, "image/png")
                .multiPart("question", "What shape is this?")
                .when().post("/reason")
                .then().statusCode(200)
                .body("mode", equalTo("STAGE_BEAM"))
                .body("seed", equalTo(42))
                .body("steps.size()", greaterThanOrEqualTo(1))
                .body("steps.step", everyItem(in(STAGES)))
                .body("steps[0].candidates.size()", equalTo(2))
                .extract().jsonPath();
        // the tiny model writes no stage tags, so each stage's text is what its step's winner wrote (AnswerParser)
        assertEquals(STAGES, result.getList("steps.step"));
        for (int i = 0; i < STAGES.size(); i++) {
            String winner = result.getString("steps[" + i + "].candidates[" + result.getInt("steps[" + i + "].winner")
                    + "].text");
            assertEquals(winner.trim(), result.getString(STAGES.get(i).toLowerCase(Locale.ROOT)), STAGES.get(i));
        }
    }

    @Test
    void missingQuestionIsABadRequest() {
        given().multiPart("image", TestImages.SQUARE, "image/png")
                .when().post("/reason")
                .then().statusCode(400);
    }

    @Test
    void aFileThatIsNoImageIsABadRequestNamingIt() {
        given().multiPart("image", "notes.txt", "not an image".getBytes(), "image/png")
                .multiPart("question", "What is this?")
                .when().post("/reason")
                .then().statusCode(400)
                .body(containsString("base64 image (image/png): not a supported image format"));
    }

    /** The event stream of /reason/stream for a question about the square. */
    private static String streamAboutTheSquare() {
        return given().multiPart("image", TestImages.SQUARE, "image/png")
                .multiPart("question", "What shape is this?")
                .header("Accept", "text/event-stream")
                .when().post("/reason/stream")
                .then().statusCode(200)
                .extract().asString();
    }

    @Test
    void streamSendsOneEventPerStageThenTheResult() {
        String events = streamAboutTheSquare();
        assertTrue(events.contains("event:stage") || events.contains("event: stage"), events);
        int result = Math.max(events.indexOf("event:result"), events.indexOf("event: result"));
        assertTrue(result > 0, "the result comes last:\n" + events);
        assertTrue(events.indexOf("\"conclusion\"", result) > 0, events);
    }

    @Test
    void streamShowsTheSearchAsItRuns() {
        String events = streamAboutTheSquare();
        // every candidate of every step has its tokens streamed before the step's decision, which names its winner
        // and how each pairing was decided; none of this depends on which tokens the random weights sample
        Set<String> decided = new HashSet<>();
        Set<String> sampled = new HashSet<>();
        List<String> steps = new ArrayList<>();
        for (String block : events.replace("\r\n", "\n").split("\n\n")) {
            Matcher name = Pattern.compile("(?m)^event: ?(\\w+)$").matcher(block);
            Matcher data = Pattern.compile("(?m)^data: ?(.*)$").matcher(block);
            if (!name.find() || !data.find()) {
                continue;
            }
            JsonPath json = JsonPath.from(data.group(1));
            if (name.group(1).equals("candidate")) {
                assertFalse(decided.contains(json.getString("step")), "a token after its step's decision: " + block);
                sampled.add(json.getString("step") + " " + json.getInt("candidate"));
            } else if (name.group(1).equals("step")) {
                String step = json.getString("step");
                steps.add(step);
                decided.add(step);
                int candidates = json.getList("candidates").size();
                assertEquals(2, candidates, block);
                for (int c = 0; c < candidates; c++) {
                    assertTrue(sampled.contains(step + " " + c), "tokens of " + step + " candidate " + c + " came first");
                }
                assertEquals(candidates - 1, json.getList("judgements").size(), block);
                assertTrue(List.of("JUDGE", "PRECHECK", "FORMAT", "STRATEGY").contains(json.getString("judgements[0].decidedBy")),
                        block);
                assertTrue(json.getInt("winner") >= 0 && json.getInt("winner") < candidates, block);
            }
        }
        // the steps the final result lists, in order (how many depends on the weights: a winner can end the answer)
        int result = Math.max(events.indexOf("event:result"), events.indexOf("event: result"));
        Matcher resultData = Pattern.compile("(?m)^data: ?(.*)$").matcher(events.substring(result));
        assertTrue(resultData.find(), events);
        assertFalse(steps.isEmpty(), events);
        assertEquals(JsonPath.from(resultData.group(1)).getList("steps.step"), steps);
    }

    @Test
    void webpCmykJpegAndTiffUploadsAreAnswered() {
        for (File image : List.of(TestImages.WEBP, TestImages.CMYK_JPEG, TestImages.TIFF)) {
            given().multiPart("image", image, "application/octet-stream")
                    .multiPart("question", "What colours are there?")
                    .when().post("/reason")
                    .then().statusCode(200)
                    .body("mode", equalTo("STAGE_BEAM"))
                    .body("steps.size()", greaterThanOrEqualTo(1))
                    .body("steps.step", everyItem(in(STAGES)));
        }
    }

    @Test
    void aiServiceAnswersWithTheImageAsAParameter() {
        String square = assistantAnswer(TestImages.SQUARE);
        String wide = assistantAnswer(TestImages.WIDE);
        assertFalse(square.isBlank(), "an answer");
        // the same question under the same seed: only the image differs, so it reached the model
        assertNotEquals(square, wide);
    }

    private static String assistantAnswer(File image) {
        return given().multiPart("image", image, "image/png").multiPart("question", "What shape is this?")
                .when().post("/assistant")
                .then().statusCode(200)
                .extract().asString();
    }

    @Test
    void readinessReportsTheModelLoaded() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("LLaVA-o1 models"))
                .body("checks.find { it.name == 'LLaVA-o1 models' }.data.'<default>'", equalTo("loaded"));
    }

    @Test
    void metricsCountStagesAndJudgeCalls() {
        given().multiPart("image", TestImages.SQUARE, "image/png").multiPart("question", "What shape is this?")
                .when().post("/reason").then().statusCode(200);
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("llava_o1_stage_duration_seconds_count{"))
                .body(containsString("llava_o1_judge_calls_total{kind=\"judge\""))
                .body(containsString("llava_o1_tokens_per_second"));
    }

    @Test
    void aSecondQuestionAboutTheSameImageHitsTheImageCache() {
        for (String question : List.of("What shape is this?", "What colour is it?")) {
            given().multiPart("image", TestImages.SQUARE, "image/png").multiPart("question", question)
                    .when().post("/reason").then().statusCode(200);
        }
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher hits = Pattern.compile("llava_o1_image_cache_requests_total\\{model=\"<default>\",result=\"hit\"} (\\S+)")
                .matcher(metrics);
        assertTrue(hits.find(), "no image cache hit counter in the metrics");
        assertTrue(Double.parseDouble(hits.group(1)) >= 1, "image cache hits: " + hits.group(1));
        assertTrue(metrics.contains("llava_o1_image_cache_bytes{model=\"<default>\"}"), "no image cache size gauge");
    }
}
