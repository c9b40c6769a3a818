package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.indicesWithin;
import static io.github.llavao1.engine.config.ConfigChecks.nonNullList;
import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The language model's {@code text_config} (ports transformers' {@code MllamaTextConfig}): a Llama 3 decoder
 * whose layers listed in {@code cross_attention_layers} attend to the image instead of to the text.
 *
 * @param crossAttentionLayers indices of the decoder layers that are cross-attention layers
 * @param eosTokenIds end-of-sequence tokens ({@code eos_token_id}, an int or a list); may be empty
 * @param padTokenId the padding token, or -1 when the config names none
 */
public record TextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
        int numKeyValueHeads, List<Integer> crossAttentionLayers, double rmsNormEps, int maxPositionEmbeddings,
        RopeScaling rope, int bosTokenId, List<Integer> eosTokenIds, int padTokenId, boolean tieWordEmbeddings) {

    /** Rows of {@code embed_tokens} beyond the vocabulary: room for {@code <|image|>} and 7 unused specials. */
    public static final int EXTRA_EMBEDDING_ROWS = 8;

    private static final String P = "text_config";

    public TextConfig {
        positive(P + ".vocab_size", vocabSize);
        positive(P + ".hidden_size", hiddenSize);
        positive(P + ".intermediate_size", intermediateSize);
        positive(P + ".num_hidden_layers", numHiddenLayers);
        positive(P + ".num_attention_heads", numAttentionHeads);
        positive(P + ".num_key_value_heads", numKeyValueHeads);
        require(hiddenSize % numAttentionHeads == 0, P + ".num_attention_heads (" + numAttentionHeads
                + ") must divide hidden_size (" + hiddenSize + ")");
        require(numAttentionHeads % numKeyValueHeads == 0, P + ".num_key_value_heads (" + numKeyValueHeads
                + ") must divide num_attention_heads (" + numAttentionHeads + ")");
        require(hiddenSize / numAttentionHeads % 2 == 0, P + ": head dimension hidden_size / num_attention_heads ("
                + hiddenSize / numAttentionHeads + ") must be even for rotary embeddings");
        crossAttentionLayers = nonNullList(P + ".cross_attention_layers", crossAttentionLayers);
        indicesWithin(P + ".cross_attention_layers", crossAttentionLayers, numHiddenLayers, "num_hidden_layers");
        positive(P + ".rms_norm_eps", rmsNormEps);
        positive(P + ".max_position_embeddings", maxPositionEmbeddings);
        require(rope != null, P + ": rope parameters are missing");
        int rows = vocabSize + EXTRA_EMBEDDING_ROWS;
        require(bosTokenId >= 0 && bosTokenId < rows, P + ".bos_token_id (" + bosTokenId + ") is outside the embedding rows [0, " + rows + ")");
        eosTokenIds = nonNullList(P + ".eos_token_id", eosTokenIds);
        for (int eos : eosTokenIds) {
            require(eos >= 0 && eos < rows, P + ".eos_token_id (" + eos + ") is outside the embedding rows [0, " + rows + ")");
        }
        require(padTokenId >= -1 && padTokenId < rows, P + ".pad_token_id (" + padTokenId + ") is outside the embedding rows [0, " + rows + ")");
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

    static TextConfig parse(JsonNode text) {
        return new TextConfig(
                JsonFields.requiredInt(text, P, "vocab_size"),
                JsonFields.requiredInt(text, P, "hidden_size"),
                JsonFields.requiredInt(text, P, "intermediate_size"),
                JsonFields.requiredInt(text, P, "num_hidden_layers"),
                JsonFields.requiredInt(text, P, "num_attention_heads"),
                JsonFields.requiredInt(text, P, "num_key_value_heads"),
                JsonFields.requiredIntList(text, P, "cross_attention_layers"),
                JsonFields.requiredDouble(text, P, "rms_norm_eps"),
                JsonFields.requiredInt(text, P, "max_position_embeddings"),
                RopeScaling.parse(text),
                JsonFields.requiredInt(text, P, "bos_token_id"),
                JsonFields.intOrIntList(text, P, "eos_token_id"),
                JsonFields.optionalInt(text, P, "pad_token_id", -1),
                JsonFields.optionalBoolean(text, P, "tie_word_embeddings", false));
    }

    /** This config as a transformers 4.45 {@code text_config} object. */
    ObjectNode toJson() {
        ObjectNode text = JsonFields.JSON.createObjectNode();
        text.put("model_type", "mllama_text_model");
        text.put("vocab_size", vocabSize);
        text.put("hidden_size", hiddenSize);
        text.put("intermediate_size", intermediateSize);
        text.put("num_hidden_layers", numHiddenLayers);
        text.put("num_attention_heads", numAttentionHeads);
        text.put("num_key_value_heads", numKeyValueHeads);
        ArrayNode cross = text.putArray("cross_attention_layers");
        crossAttentionLayers.forEach(cross::add);
        text.put("hidden_act", "silu");
        text.put("rms_norm_eps", rmsNormEps);
        text.put("max_position_embeddings", maxPositionEmbeddings);
        rope.writeLegacy(text);
        text.put("bos_token_id", bosTokenId);
        ArrayNode eos = text.putArray("eos_token_id");
        eosTokenIds.forEach(eos::add);
        if (padTokenId >= 0) {
            text.put("pad_token_id", padTokenId);
        }
        text.put("tie_word_embeddings", tieWordEmbeddings);
        return text;
    }
}
