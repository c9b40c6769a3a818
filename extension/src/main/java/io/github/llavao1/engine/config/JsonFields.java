package io.github.llavao1.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of HuggingFace JSON config files. Every failure names the dotted JSON key; the file name is added
 * once by the caller ({@link #inFile}) so messages read "config.json: text_config.hidden_size is missing".
 */
final class JsonFields {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonFields() {
    }

    /** Reads a JSON object from {@code file}; a missing or malformed file is a CheckpointException naming it. */
    static JsonNode readObject(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": file not found");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file + ": expected a JSON object");
        }
        return root;
    }

    /** Runs {@code parse}, prefixing any key-level CheckpointException with the source file. */
    static <T> T inFile(String source, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (CheckpointException e) {
            throw new CheckpointException(source + ": " + e.getMessage(), e);
        }
    }

    static String key(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    static JsonNode requiredObject(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new CheckpointException(key(prefix, key) + " is missing");
        }
        if (!node.isObject()) {
            throw new CheckpointException(key(prefix, key) + " must be a JSON object, got " + node);
        }
        return node;
    }

    /** The object at {@code key}, or null when absent or JSON null. */
    static JsonNode optionalObject(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new CheckpointException(key(prefix, key) + " must be a JSON object, got " + node);
        }
        return node;
    }

    static int requiredInt(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new CheckpointException(key(prefix, key) + " is missing");
        }
        return toInt(node, key(prefix, key));
    }

    static Integer optionalInt(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        return node == null || node.isNull() ? null : toInt(node, key(prefix, key));
    }

    static int optionalInt(JsonNode parent, String prefix, String key, int fallback) {
        Integer value = optionalInt(parent, prefix, key);
        return value == null ? fallback : value;
    }

    static double requiredDouble(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new CheckpointException(key(prefix, key) + " is missing");
        }
        return toDouble(node, key(prefix, key));
    }

    static Double optionalDouble(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        return node == null || node.isNull() ? null : toDouble(node, key(prefix, key));
    }

    static double optionalDouble(JsonNode parent, String prefix, String key, double fallback) {
        Double value = optionalDouble(parent, prefix, key);
        return value == null ? fallback : value;
    }

    static boolean optionalBoolean(JsonNode parent, String prefix, String key, boolean fallback) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new CheckpointException(key(prefix, key) + " must be true or false, got " + node);
        }
        return node.booleanValue();
    }

    static String optionalText(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new CheckpointException(key(prefix, key) + " must be a string, got " + node);
        }
        return node.textValue();
    }

    /** An int or a list of ints (HF writes eos_token_id either way); empty when absent. */
    static List<Integer> intOrIntList(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            return List.of(toInt(node, key(prefix, key)));
        }
        return intList(node, key(prefix, key));
    }

    static List<Integer> requiredIntList(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new CheckpointException(key(prefix, key) + " is missing");
        }
        if (!node.isArray()) {
            throw new CheckpointException(key(prefix, key) + " must be a list of integers, got " + node);
        }
        return intList(node, key(prefix, key));
    }

    static float[] floatArray(JsonNode parent, String prefix, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new CheckpointException(key(prefix, key) + " must be a list of numbers, got " + node);
        }
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) toDouble(node.get(i), key(prefix, key) + "[" + i + "]");
        }
        return out;
    }

    private static List<Integer> intList(JsonNode array, String where) {
        List<Integer> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(toInt(array.get(i), where + "[" + i + "]"));
        }
        return List.copyOf(out);
    }

    private static int toInt(JsonNode node, String where) {
        // 4.45 configs write some integers as 0 and some floats as 0 (e.g. "dropout": 0): accept integral doubles
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue()) && Math.abs(node.doubleValue()) < Integer.MAX_VALUE) {
            return (int) node.doubleValue();
        }
        throw new CheckpointException(where + " must be an integer, got " + node);
    }

    private static double toDouble(JsonNode node, String where) {
        if (!node.isNumber()) {
            throw new CheckpointException(where + " must be a number, got " + node);
        }
        return node.doubleValue();
    }
}
