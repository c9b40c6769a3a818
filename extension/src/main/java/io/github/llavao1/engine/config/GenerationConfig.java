package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint's {@code generation_config.json}: the token ids and sampling defaults its authors ship. Every value
 * is optional (null when absent); callers fall back to {@link TextConfig} for token ids.
 *
 * @param eosTokenIds {@code eos_token_id}, an int or a list in the file; empty when absent
 */
public record GenerationConfig(
        @JsonProperty("bos_token_id") Integer bosTokenId,
        @JsonProperty("eos_token_id") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> eosTokenIds,
        @JsonProperty("pad_token_id") Integer padTokenId,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("top_k") Integer topK) {

    public GenerationConfig {
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
        require(bosTokenId == null || bosTokenId >= 0, "bos_token_id", " must not be negative, got " + bosTokenId);
        for (int eos : eosTokenIds) {
            require(eos >= 0, "eos_token_id", " must not be negative, got " + eos);
        }
        require(temperature == null || temperature >= 0, "temperature", " must not be negative, got " + temperature);
        require(topP == null || (topP > 0 && topP <= 1), "top_p", " must be in (0, 1], got " + topP);
        require(topK == null || topK >= 0, "top_k", " must not be negative, got " + topK);
    }

    /** No generation config: everything absent. */
    public static GenerationConfig empty() {
        return new GenerationConfig(null, List.of(), null, null, null, null);
    }

    /** Reads and validates {@code file}; problems are ConfigExceptions naming the file and key. */
    public static GenerationConfig load(Path file) {
        return JsonRecords.load(file, root -> JsonRecords.read(GenerationConfig.class, root, ""));
    }

    /** A generation_config.json tree holding the values that are present. */
    public ObjectNode toJson() {
        return JsonRecords.writeObject(this);
    }
}
