package io.github.llavao1.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command lines README.md gives, as written: CI runs the README's test command, every Maven command goes
 * through the wrapper, and the command-line example runs (its arguments, parsed as a shell would, on the CLI in this
 * JVM). {@link LauncherIT} runs the same examples through the launcher script, as separate processes, after
 * {@code ./mvnw package}.
 */
class ReadmeCommandLinesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** How every command-line example in the README starts: the launcher, from the repository root. */
    static final String LAUNCHER = "./llava-o1 ";

    private static List<String> codeBlockLines() throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
            } else if (inBlock) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The README's code blocks with shell line continuations joined. */
    private static String codeBlocks() throws IOException {
        return String.join("\n", codeBlockLines()).replace("\\\n", "");
    }

    /** The README's runnable command-line examples (not the {@code <command>} synopsis), each a shell command line. */
    static List<String> launcherExamples() throws IOException {
        List<String> examples = new ArrayList<>();
        for (String line : codeBlocks().split("\n")) {
            String command = line.strip();
            if (command.startsWith(LAUNCHER) && !command.startsWith(LAUNCHER + "<command>")) {
                examples.add(command);
            }
        }
        return examples;
    }

    @Test
    void ciRunsTheReadmesTestCommand() throws IOException {
        String testCommand = "./mvnw -B verify";
        assertTrue(codeBlockLines().contains(testCommand), "README gives the test command " + testCommand);
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
        assertEquals(testCommand, ci.get(ci.size() - 1).strip(), ".ci/run ends with the README's test command");
    }

    @Test
    void everyMavenCommandUsesTheWrapper() throws IOException {
        assertTrue(Files.isExecutable(ROOT.resolve("mvnw")), "mvnw is committed executable");
        for (String line : codeBlockLines()) {
            assertTrue(!line.matches("(^|.*[\\s;&|(])mvn\\s.*"), () -> "README runs Maven without the wrapper: " + line);
        }
    }

    @Test
    void theCommandLineExampleRunsAsWritten() throws Exception {
        List<String> examples = launcherExamples();
        assertEquals(1, examples.size(), "one runnable command-line example: " + examples);
        String[] args = relativeToRoot(shellWords(examples.get(0).substring(LAUNCHER.length())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(420, report.get("prompt_ids").get(0).asInt(), "--prompt: chat template with double BOS");
        assertEquals(420, report.get("prompt_ids").get(1).asInt());
        assertTrue(report.get("new_ids").size() > 0, "generated tokens");
    }

    @Test
    void shellWordsSplitsAsTheShellDoes() {
        assertEquals(List.of("generate", "--prompt", "How many red circles?", "a\"b", "x y"),
                List.of(shellWords("generate  --prompt 'How many red circles?' a\\\"b \"x y\"")));
    }

    /** The example's paths are relative to the repository root, where the README's command runs; tests run in extension/. */
    private static String[] relativeToRoot(String[] args) {
        for (int i = 1; i < args.length; i++) {
            if (args[i - 1].equals("--model") || args[i - 1].equals("--image")) {
                args[i] = ROOT.resolve(args[i]).toString();
            }
        }
        return args;
    }

    /** Splits a shell command line (quotes, backslash escapes, no expansions) into the words the program receives. */
    static String[] shellWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(text.charAt(++i));
            } else if (c == '\'' || c == '"') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed " + c + " in " + text);
                }
                word = word == null ? new StringBuilder() : word;
                word.append(text, i + 1, close);
                i = close;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words.toArray(String[]::new);
    }
}
