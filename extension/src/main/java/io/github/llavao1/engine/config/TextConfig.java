package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.indicesWithin;
import static io.github.llavao1.engine.config.ConfigChecks.nonNullList;
import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The language model's {@code text_config} (ports transformers' {@code MllamaTextConfig}): a Llama 3 decoder
 * whose layers listed in {@code cross_attention_layers} attend to the image instead of to the text.
 *
 * @param crossAttentionLayers indices of the decoder layers that are cross-attention layers
 * @param rope bound from {@code rope_parameters} (transformers 5); see {@link #nestLegacyRope} for the 4.45 layout
 * @param eosTokenIds end-of-sequence tokens ({@code eos_token_id}, an int or a list); may be empty
 * @param padTokenId the padding token, or -1 when the config names none
 */
public record TextConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("num_hidden_layers") int numHiddenLayers,
        @JsonProperty("num_attention_heads") int numAttentionHeads,
        @JsonProperty("num_key_value_heads") int numKeyValueHeads,
        @JsonProperty("cross_attention_layers") List<Integer> crossAttentionLayers,
        @JsonProperty("rms_norm_eps") double rmsNormEps,
        @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
        @JsonProperty(value = ROPE_PARAMETERS, access = JsonProperty.Access.WRITE_ONLY) RopeScaling rope,
        @JsonProperty("bos_token_id") int bosTokenId,
        @JsonProperty("eos_token_id") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> eosTokenIds,
        @JsonProperty(value = "pad_token_id", defaultValue = "-1") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int padTokenId,
        @JsonProperty(value = "tie_word_embeddings", defaultValue = "false") boolean tieWordEmbeddings) {

    /** Rows of {@code embed_tokens} beyond the vocabulary: room for {@code <|image|>} and 7 unused specials. */
    public static final int EXTRA_EMBEDDING_ROWS = 8;

    static final String ROPE_PARAMETERS = "rope_parameters";
    private static final String ROPE_THETA = "rope_theta";
    private static final String ROPE_SCALING = "rope_scaling";

    public TextConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_key_value_heads", numKeyValueHeads);
        require(hiddenSize % numAttentionHeads == 0, "num_attention_heads", " (" + numAttentionHeads
                + ") must divide hidden_size (" + hiddenSize + ")");
        require(numAttentionHeads % numKeyValueHeads == 0, "num_key_value_heads", " (" + numKeyValueHeads
                + ") must divide num_attention_heads (" + numAttentionHeads + ")");
        require(hiddenSize / numAttentionHeads % 2 == 0, "num_attention_heads", ": the head dimension hidden_size"
                + " / num_attention_heads (" + hiddenSize / numAttentionHeads + ") must be even for rotary embeddings");
        crossAttentionLayers = nonNullList("cross_attention_layers", crossAttentionLayers);
        indicesWithin("cross_attention_layers", crossAttentionLayers, numHiddenLayers, "num_hidden_layers");
        positive("rms_norm_eps", rmsNormEps);
        positive("max_position_embeddings", maxPositionEmbeddings);
        require(rope != null, ROPE_PARAMETERS, " are missing");
        int rows = vocabSize + EXTRA_EMBEDDING_ROWS;
        require(bosTokenId >= 0 && bosTokenId < rows, "bos_token_id", " (" + bosTokenId + ") is outside the embedding rows [0, " + rows + ")");
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
        for (int eos : eosTokenIds) {
            require(eos >= 0 && eos < rows, "eos_token_id", " (" + eos + ") is outside the embedding rows [0, " + rows + ")");
        }
        require(padTokenId >= -1 && padTokenId < rows, "pad_token_id", " (" + padTokenId + ") is outside the embedding rows [0, " + rows + ")");
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Query heads sharing one key/value head (grouped-query attention). */
    public int numKeyValueGroups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public boolean isCrossAttentionLayer(int layer) {
        return crossAttentionLayers.contains(layer);
    }

    /** Rows of {@code embed_tokens}: the vocabulary plus {@link #EXTRA_EMBEDDING_ROWS}. */
    public int embeddingRows() {
        return vocabSize + EXTRA_EMBEDDING_ROWS;
    }

    /**
     * transformers 4.45 writes {@code rope_theta} beside {@code rope_scaling{rope_type|type, …}} (no scaling: "default");
     * 5 nests all of it in {@code rope_parameters}, which {@link #rope} binds from. Rewrites the former layout of
     * {@code text} into the latter.
     *
     * @return whether {@code text} was in the 4.45 layout, so that {@link #legacyRopeKey} can name its keys in errors
     */
    static boolean nestLegacyRope(ObjectNode text) {
        JsonNode parameters = text.get(ROPE_PARAMETERS);
        if (parameters != null && !parameters.isNull()) {
            return false;
        }
        JsonNode scaling = text.get(ROPE_SCALING);
        ObjectNode nested = scaling != null && scaling.isObject() ? ((ObjectNode) scaling).deepCopy() : text.objectNode();
        if (scaling != null && !scaling.isNull() && !scaling.isObject()) {
            throw new ConfigException(ROPE_SCALING, " must be a JSON object, got " + scaling);
        }
        if (text.has(ROPE_THETA)) {
            nested.set(ROPE_THETA, text.get(ROPE_THETA));
        }
        text.set(ROPE_PARAMETERS, nested);
        return true;
    }

    /** {@code problem} under the 4.45 key of a value that {@link #nestLegacyRope} moved. */
    static ConfigException legacyRopeKey(ConfigException problem, String path) {
        String nested = path + "." + ROPE_PARAMETERS;
        if (problem.key().equals(nested + "." + ROPE_THETA)) {
            return problem.withKey(path + "." + ROPE_THETA);
        }
        if (problem.key().equals(nested) || problem.key().startsWith(nested + ".")) {
            return problem.withKey(path + "." + ROPE_SCALING + problem.key().substring(nested.length()));
        }
        return problem;
    }

    /** This config as a transformers 4.45 {@code text_config} object. */
    ObjectNode toJson() {
        ObjectNode text = JsonRecords.JSON.createObjectNode().put("model_type", "mllama_text_model").put("hidden_act", "silu");
        text.setAll(JsonRecords.writeObject(this));
        rope.writeLegacy(text);
        return text;
    }
}
