package io.github.llavao1.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-judge's prompt strings, read from {@code judge-prompts.json} (a verbatim copy of the strings in the
 * reference's {@code simple_inference.py}, typographic apostrophe included), and the two prompt layouts built
 * from them. Judge kinds: the four stages' keys, {@code "all"} (best-of-N) and {@code "sentence"}.
 */
final class JudgePrompts {

    static final String RESOURCE = "judge-prompts.json";
    static final String ALL = "all";
    static final String SENTENCE = "sentence";

    /** The reference's response label, misspelling included: the checkpoint was evaluated with it. */
    static final String RESPONSE_LABEL = "\nRepsonse ";

    private static final List<String> JUDGE_KEYS =
            List.of("summary", "caption", "reasoning", "conclusion", ALL, SENTENCE);
    private static final List<String> RECALL_KEYS = List.of("summary", "caption", "reasoning", "conclusion");

    private final Map<String, String> judge;
    // "all" and "sentence" have no recall sentence in the reference; they get the empty string.
    private final Map<String, String> recall;
    private final String reasoningCheck;
    private final String suffix;
    private final String format;

    private JudgePrompts(Map<String, String> judge, Map<String, String> recall, String reasoningCheck,
                         String suffix, String format) {
        this.judge = judge;
        this.recall = recall;
        this.reasoningCheck = reasoningCheck;
        this.suffix = suffix;
        this.format = format;
    }

    /** The bundled strings; read once. */
    static JudgePrompts bundled() {
        return Bundled.INSTANCE;
    }

    private static final class Bundled {
        static final JudgePrompts INSTANCE = load();

        private static JudgePrompts load() {
            try (InputStream in = JudgePrompts.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the classpath next to "
                            + JudgePrompts.class.getName());
                }
                return parse(new ObjectMapper().readTree(in), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(RESOURCE + ": cannot be read", e);
            }
        }
    }

    static JudgePrompts parse(JsonNode root, String source) {
        Map<String, String> judge = new HashMap<>();
        for (String key : JUDGE_KEYS) {
            judge.put(key, text(root, source, "judge", key));
        }
        Map<String, String> recall = new HashMap<>();
        for (String key : RECALL_KEYS) {
            recall.put(key, text(root, source, "recall", key));
        }
        recall.put(ALL, "");
        recall.put(SENTENCE, "");
        return new JudgePrompts(Map.copyOf(judge), Map.copyOf(recall), text(root, source, "reasoning_check", null),
                text(root, source, "suffix", null), text(root, source, "format", null));
    }

    private static String text(JsonNode root, String source, String key, String subKey) {
        JsonNode node = subKey == null ? root.get(key) : root.path(key).get(subKey);
        if (node == null || !node.isTextual()) {
            throw new IllegalStateException(source + ": missing string " + key + (subKey == null ? "" : "." + subKey));
        }
        return node.asText();
    }

    /**
     * The pairwise judge prompt, laid out as the reference does: judge instruction, question, the hint when there
     * is one, both responses, the recall sentence, the format suffix and the output format.
     */
    String pairwise(String kind, String question, String hint, String first, String second) {
        String instruction = judge.get(kind);
        if (instruction == null) {
            throw new IllegalArgumentException("no judge prompt for kind " + kind + "; known: " + JUDGE_KEYS);
        }
        StringBuilder prompt = new StringBuilder(instruction).append("\n\nQuestion: ").append(question);
        // The reference tests the hint's truthiness, so an empty hint is left out like a missing one.
        if (hint != null && !hint.isEmpty()) {
            prompt.append("\n\nHint about the Question: ").append(hint);
        }
        prompt.append(RESPONSE_LABEL).append("1: ").append(first);
        prompt.append(RESPONSE_LABEL).append("2: ").append(second);
        return prompt.append("\n\n").append(recall.get(kind)).append(suffix).append(format).toString();
    }

    /** The text-only correctness check of one candidate's reasoning. */
    String reasoningCheck(String hint, String reasoning) {
        return reasoningCheck + "\n\nGiven Information: " + hint + "\n\nReasoning Process: " + reasoning;
    }
}
