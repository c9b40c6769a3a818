package io.github.llavao1.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code conformance}, the fixture comparison that runs where JUnit does not (a GPU machine): on the CPU in float32 it
 * measures what the conformance tests assert, and it reports a comparison outside its tolerance with exit code 3.
 */
class ConformanceCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void twoImagesOnTheCpuMatchTheReferenceAndATighterToleranceFails() throws Exception {
        int code = run("conformance", "--fixture", Fixtures.goldenCheckpoint().toString(), "--device", "cpu", "--cases", "two_images",
                "--tolerance", "1e-9", "--json");
        assertEquals(3, code, err.toString(StandardCharsets.UTF_8));
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("cpu() float32", report.get("device").asText());
        assertEquals(false, report.get("pass").asBoolean());
        assertEquals(1, report.get("cases").size());
        JsonNode c = report.get("cases").get("two_images");
        assertEquals(2, c.get("images").size());
        for (JsonNode image : c.get("images")) {
            for (String output : new String[] {"vision_output", "cross_attention_states"}) {
                double diff = image.get(output).get("max_abs_diff").asDouble();
                assertTrue(diff > 0 && diff < 1e-3, output + " " + diff);
                assertEquals(false, image.get(output).get("pass").asBoolean());
            }
        }
        double logits = c.get("logits").get("max_abs_diff").asDouble();
        assertTrue(logits > 0 && logits < 1e-3, "logits " + logits);
        assertEquals(1.0, c.get("logits").get("argmax_agreement").asDouble());
        assertEquals(true, c.get("greedy_tokens").get("pass").asBoolean());
    }

    @Test
    void anUnknownCaseOrAFolderWithoutReferencesIsAnError() {
        assertEquals(2, run("conformance", "--fixture", Fixtures.goldenCheckpoint().toString(), "--cases", "nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--cases: the fixture has no case 'nope'"));
        assertEquals(1, run("conformance", "--fixture", Fixtures.resource("configs").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the fixture folder has no reference.json"));
    }
}
