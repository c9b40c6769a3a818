package io.github.llavao1.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: engine and reasoning ← backend (the search's port on the engine) ← LangChain4j adapter
 * (← Quarkus, in other modules). The reasoning search knows no engine type; the engine and the reasoning search
 * import neither LangChain4j nor Quarkus; DJL stays inside the engine's internal packages (model, cli) and never
 * appears in the signatures of its public API classes.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java/io/github/llavao1");

    @Test
    void engineAndReasoningDoNotImportLangChain4jOrQuarkus() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String pkg : List.of("engine", "reasoning")) {
            for (Path file : javaFiles(MAIN.resolve(pkg))) {
                for (String imported : imports(file)) {
                    if (imported.startsWith("dev.langchain4j") || imported.startsWith("io.quarkus")
                            || imported.startsWith("io.github.llavao1.langchain4j")) {
                        violations.add(MAIN.relativize(file) + " imports " + imported);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void reasoningDoesNotImportTheEngine() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(MAIN.resolve("reasoning"))) {
            for (String imported : imports(file)) {
                if (imported.startsWith("io.github.llavao1.engine")) {
                    violations.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
            if (Files.readString(file).contains("io.github.llavao1.engine.")) {
                violations.add(MAIN.relativize(file) + " names an engine type");
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void djlStaysInTheEngineInternals() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(MAIN)) {
            String path = MAIN.relativize(file).toString().replace('\\', '/');
            boolean internal = path.startsWith("engine/model/") || path.startsWith("cli/")
                    || path.equals("engine/Session.java") || path.equals("engine/BatchDecoder.java");
            for (String imported : imports(file)) {
                if (imported.startsWith("ai.djl") && !imported.startsWith("ai.djl.huggingface") && !internal) {
                    violations.add(path + " imports " + imported);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void sessionKeepsDjlOutOfItsPublicMethods() throws IOException {
        Pattern publicMethod = Pattern.compile("^\\s*public [^=(]*\\(([^)]*)\\)", Pattern.MULTILINE);
        for (String name : List.of("Session.java", "LlavaEngine.java", "Prefix.java")) {
            String source = Files.readString(MAIN.resolve("engine").resolve(name));
            Matcher m = publicMethod.matcher(source);
            while (m.find()) {
                String signature = m.group();
                assertTrue(!signature.contains("NDArray") && !signature.contains("NDManager"), name + ": " + signature.trim());
            }
        }
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    private static List<String> imports(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("import ")) {
                out.add(line.substring(7).replace("static ", "").replace(";", "").trim());
            }
        }
        return out;
    }
}
