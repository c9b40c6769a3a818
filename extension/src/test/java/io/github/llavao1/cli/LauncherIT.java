package io.github.llavao1.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.text.LlamaTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher script {@code llava-o1} at the repository root, run as a separate process on what {@code ./mvnw
 * package} assembled (extension/target/llava-o1/lib), so it runs in the integration-test phase, after packaging:
 * its arguments arrive as typed (a raw prompt ending in the chat template's "\n\n", which Maven's exec argument
 * handling used to cut), and the README's command-line examples run as written from the repository root.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("llava-o1");

    @Test
    void rawPromptEndingInBlankLineArrivesAsTyped() throws Exception {
        Path model = Fixtures.tinyCheckpoint();
        String raw = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n<|image|>How many red circles?"
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
        Result result = run(List.of(LAUNCHER.toString(), "generate", "--model", model.toString(),
                "--image", model.resolve("square.png").toString(), "--raw-prompt", raw,
                "--greedy", "--max-new-tokens", "1", "--json"), ROOT);
        assertEquals(0, result.exitCode(), result.stderr());
        int[] promptIds = Fixtures.ints(new ObjectMapper().readTree(result.stdout()).get("prompt_ids"));

        LlamaTokenizer tokenizer = LlamaTokenizer.load(model.resolve("tokenizer.json"));
        assertArrayEquals(tokenizer.encode(raw), promptIds, "the prompt's ids are those of the string typed");
        int[] blankLine = tokenizer.encode("\n\n");
        assertArrayEquals(blankLine, Arrays.copyOfRange(promptIds, promptIds.length - blankLine.length, promptIds.length),
                "the prompt ends in the ids of \"\\n\\n\"");
        assertFalse(Arrays.equals(tokenizer.encode(raw.stripTrailing()), promptIds), "the trailing newlines count");
    }

    @Test
    void readmeExamplesRunAsWritten() throws Exception {
        List<String> examples = ReadmeCommandLinesTest.launcherExamples();
        assertFalse(examples.isEmpty(), "README.md has command-line examples");
        for (String example : examples) {
            Result result = run(List.of("bash", "-c", example), ROOT);
            assertEquals(0, result.exitCode(), example + "\n" + result.stderr());
            if (example.contains("--json")) {
                JsonNode report = new ObjectMapper().readTree(result.stdout());
                assertTrue(report.get("new_ids").size() > 0, example + " generated tokens: " + result.stdout());
            }
        }
    }

    @Test
    void withoutABuildTheLauncherSaysHowToMakeOne() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--help").directory(ROOT.toFile());
        builder.environment().put("LLAVA_O1_LIB", ROOT.resolve("target/no-such-folder").toString());
        Result result = run(builder);
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("no-such-folder") && result.stderr().contains("./mvnw"), result.stderr());
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> command, Path directory) throws Exception {
        return run(new ProcessBuilder(command).directory(directory.toFile()));
    }

    private static Result run(ProcessBuilder builder) throws Exception {
        Path out = Files.createTempFile("llava-o1-out", ".txt");
        Path err = Files.createTempFile("llava-o1-err", ".txt");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(builder.command() + " did not end within 120 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}
