package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint's {@code generation_config.json}: the token ids and sampling defaults its authors ship. Every value
 * is optional (null when absent); callers fall back to {@link TextConfig} for token ids.
 *
 * @param eosTokenIds {@code eos_token_id}, an int or a list in the file; empty when absent
 */
public record GenerationConfig(Integer bosTokenId, List<Integer> eosTokenIds, Integer padTokenId, Double temperature,
        Double topP, Integer topK) {

    public GenerationConfig {
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
        require(bosTokenId == null || bosTokenId >= 0, "bos_token_id must not be negative, got " + bosTokenId);
        for (int eos : eosTokenIds) {
            require(eos >= 0, "eos_token_id must not be negative, got " + eos);
        }
        require(temperature == null || temperature >= 0, "temperature must not be negative, got " + temperature);
        require(topP == null || (topP > 0 && topP <= 1), "top_p must be in (0, 1], got " + topP);
        require(topK == null || topK >= 0, "top_k must not be negative, got " + topK);
    }

    /** No generation config: everything absent. */
    public static GenerationConfig empty() {
        return new GenerationConfig(null, List.of(), null, null, null, null);
    }

    /** Reads and validates {@code file}; problems are CheckpointExceptions naming the file and key. */
    public static GenerationConfig load(Path file) {
        JsonNode root = JsonFields.readObject(file);
        return JsonFields.inFile(file.toString(), () -> new GenerationConfig(
                JsonFields.optionalInt(root, "", "bos_token_id"),
                JsonFields.intOrIntList(root, "", "eos_token_id"),
                JsonFields.optionalInt(root, "", "pad_token_id"),
                JsonFields.optionalDouble(root, "", "temperature"),
                JsonFields.optionalDouble(root, "", "top_p"),
                JsonFields.optionalInt(root, "", "top_k")));
    }

    /** A generation_config.json tree holding the values that are present. */
    public ObjectNode toJson() {
        ObjectNode root = JsonFields.JSON.createObjectNode();
        if (bosTokenId != null) {
            root.put("bos_token_id", bosTokenId);
        }
        if (!eosTokenIds.isEmpty()) {
            eosTokenIds.forEach(root.putArray("eos_token_id")::add);
        }
        if (padTokenId != null) {
            root.put("pad_token_id", padTokenId);
        }
        if (temperature != null) {
            root.put("temperature", temperature);
        }
        if (topP != null) {
            root.put("top_p", topP);
        }
        if (topK != null) {
            root.put("top_k", topK);
        }
        return root;
    }
}
