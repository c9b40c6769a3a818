package io.github.llavao1.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The documented command line on the tiny checkpoint. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void rawPromptGreedyJsonReproducesTheReference() throws Exception {
        JsonNode square = Fixtures.referenceCase("square");
        int code = run("generate", "--model", Fixtures.goldenCheckpoint().toString(),
                "--image", Fixtures.goldenCheckpoint().resolve("square.png").toString(),
                "--raw-prompt", square.get("prompt").asText(), "--greedy", "--max-new-tokens", "24", "--ignore-eos",
                "--device", "cpu", "--json");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertArrayEquals(Fixtures.ints(square.get("input_ids")), Fixtures.ints(report.get("prompt_ids")));
        assertArrayEquals(Fixtures.ints(square.get("greedy_new_ids")), Fixtures.ints(report.get("new_ids")));
        assertEquals("length", report.get("finish_reason").asText());
        assertTrue(report.get("timings").get("prefill_ms").asDouble() > 0);
    }

    @Test
    void chatPromptGetsTheTemplateAndDoubleBos() throws Exception {
        int code = run("generate", "--model", Fixtures.goldenCheckpoint().toString(),
                "--image", Fixtures.goldenCheckpoint().resolve("square.png").toString(),
                "--prompt", "How many red circles are in the picture?", "--greedy", "--max-new-tokens", "3", "--json");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        int[] ids = Fixtures.ints(new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("prompt_ids"));
        int[] reference = Fixtures.ints(Fixtures.referenceCase("square").get("input_ids"));
        assertEquals(reference.length + 1, ids.length);
        assertEquals(420, ids[0]);
        assertEquals(420, ids[1]);
    }

    @Test
    void usageErrorsExitWithTwoAndExplain() {
        assertEquals(2, run("generate", "--model", "x", "--prompt", "a", "--raw-prompt", "b"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("exactly one of --prompt and --raw-prompt"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("generate", "--bogus"));
    }

    @Test
    void aMissingCheckpointIsReportedWithItsPath() {
        assertEquals(1, run("generate", "--model", "/nonexistent/model", "--prompt", "hi"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("/nonexistent/model"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void downloadByModelIdThenGenerateOfflineFromTheCache(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cache)
            throws Exception {
        try (io.github.llavao1.hub.FakeHub hub = new io.github.llavao1.hub.FakeHub(Fixtures.goldenCheckpoint(), "Org/Tiny",
                "89abcdef0123456789abcdef0123456789abcdef")) {
            assertEquals(0, run("download", "--model-id", "Org/Tiny", "--cache-dir", cache.toString(),
                    "--hub-endpoint", hub.endpoint().toString()), err.toString(StandardCharsets.UTF_8));
            assertEquals(cache.resolve("models--Org--Tiny/snapshots/89abcdef0123456789abcdef0123456789abcdef").toString(),
                    out.toString(StandardCharsets.UTF_8).trim());
            hub.clearRequests();
            out.reset();

            JsonNode square = Fixtures.referenceCase("square");
            int code = run("generate", "--model-id", "Org/Tiny", "--cache-dir", cache.toString(), "--offline",
                    "--image", Fixtures.goldenCheckpoint().resolve("square.png").toString(),
                    "--raw-prompt", square.get("prompt").asText(), "--greedy", "--max-new-tokens", "4", "--ignore-eos",
                    "--device", "cpu", "--json");
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            int[] newIds = Fixtures.ints(new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("new_ids"));
            assertArrayEquals(java.util.Arrays.copyOf(Fixtures.ints(square.get("greedy_new_ids")), 4), newIds);
            assertEquals(java.util.List.of(), hub.requests());
        }
    }

    @Test
    void modelAndModelIdAreExclusiveAndOfflineNamesTheMissingFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cache) {
        assertEquals(2, run("generate", "--prompt", "hi"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("exactly one of --model DIR and --model-id ID"));
        assertEquals(2, run("reason", "--model", "x", "--model-id", "a/b", "--question", "q"));
        assertEquals(2, run("download", "--model-id", "../etc"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--model-id must look like owner/name"));
        err.reset();
        assertEquals(1, run("download", "--model-id", "Org/Absent", "--cache-dir", cache.toString(), "--offline"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing: config.json, tokenizer.json"),
                err.toString(StandardCharsets.UTF_8));
    }
}
