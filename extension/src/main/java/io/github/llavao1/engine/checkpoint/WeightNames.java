package io.github.llavao1.engine.checkpoint;

import io.github.llavao1.engine.checkpoint.WeightSpec.Kind;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.TextConfig;
import io.github.llavao1.engine.config.VisionConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint tensor names of {@code MllamaForConditionalGeneration} in the published (transformers 4.45)
 * layout, which is the canonical layout here, and the shapes a config implies for each. Names of the
 * transformers 5 layout are mapped onto these by {@link #canonical}.
 */
public final class WeightNames {

    private static final String TEXT = "language_model.model.";
    private static final String VISION = "vision_model.";
    private static final String PROJECTOR = "multi_modal_projector.";

    /** The two stacks of vision encoder layers; global layers add {@code gate_attn} and {@code gate_ffn}. */
    public enum VisionEncoder {
        TRANSFORMER(VISION + "transformer.layers."),
        GLOBAL_TRANSFORMER(VISION + "global_transformer.layers.");

        private final String prefix;

        VisionEncoder(String prefix) {
            this.prefix = prefix;
        }

        String layer(int layer, String suffix) {
            return prefix + layer + "." + suffix;
        }
    }

    private WeightNames() {
    }

    /**
     * Maps a checkpoint key to its canonical (4.45) name: transformers 5 writes {@code model.language_model.…},
     * {@code lm_head.weight}, {@code model.vision_model.…} and {@code model.multi_modal_projector.…}.
     */
    public static String canonical(String key) {
        if (key.startsWith("model.language_model.")) {
            return TEXT + key.substring("model.language_model.".length());
        }
        if (key.equals("lm_head.weight")) {
            return lmHead();
        }
        if (key.startsWith("model.vision_model.") || key.startsWith("model.multi_modal_projector.")) {
            return key.substring("model.".length());
        }
        return key;
    }

    // text model

    public static String embedTokens() {
        return TEXT + "embed_tokens.weight";
    }

    public static String textNorm() {
        return TEXT + "norm.weight";
    }

    public static String lmHead() {
        return "language_model.lm_head.weight";
    }

    private static String textLayer(int layer, String suffix) {
        return TEXT + "layers." + layer + "." + suffix;
    }

    public static String inputLayernorm(int layer) {
        return textLayer(layer, "input_layernorm.weight");
    }

    public static String postAttentionLayernorm(int layer) {
        return textLayer(layer, "post_attention_layernorm.weight");
    }

    public static String selfAttnQProj(int layer) {
        return textLayer(layer, "self_attn.q_proj.weight");
    }

    public static String selfAttnKProj(int layer) {
        return textLayer(layer, "self_attn.k_proj.weight");
    }

    public static String selfAttnVProj(int layer) {
        return textLayer(layer, "self_attn.v_proj.weight");
    }

    public static String selfAttnOProj(int layer) {
        return textLayer(layer, "self_attn.o_proj.weight");
    }

    public static String crossAttnQProj(int layer) {
        return textLayer(layer, "cross_attn.q_proj.weight");
    }

    public static String crossAttnKProj(int layer) {
        return textLayer(layer, "cross_attn.k_proj.weight");
    }

    public static String crossAttnVProj(int layer) {
        return textLayer(layer, "cross_attn.v_proj.weight");
    }

    public static String crossAttnOProj(int layer) {
        return textLayer(layer, "cross_attn.o_proj.weight");
    }

    public static String crossAttnQNorm(int layer) {
        return textLayer(layer, "cross_attn.q_norm.weight");
    }

    public static String crossAttnKNorm(int layer) {
        return textLayer(layer, "cross_attn.k_norm.weight");
    }

    public static String crossAttnAttnGate(int layer) {
        return textLayer(layer, "cross_attn_attn_gate");
    }

    public static String crossAttnMlpGate(int layer) {
        return textLayer(layer, "cross_attn_mlp_gate");
    }

    public static String mlpGateProj(int layer) {
        return textLayer(layer, "mlp.gate_proj.weight");
    }

    public static String mlpUpProj(int layer) {
        return textLayer(layer, "mlp.up_proj.weight");
    }

    public static String mlpDownProj(int layer) {
        return textLayer(layer, "mlp.down_proj.weight");
    }

    // vision model

    public static String patchEmbedding() {
        return VISION + "patch_embedding.weight";
    }

    public static String classEmbedding() {
        return VISION + "class_embedding";
    }

    public static String gatedPositionalEmbedding() {
        return VISION + "gated_positional_embedding.embedding";
    }

    public static String gatedPositionalEmbeddingGate() {
        return VISION + "gated_positional_embedding.gate";
    }

    public static String gatedPositionalTileEmbedding() {
        return VISION + "gated_positional_embedding.tile_embedding.weight";
    }

    public static String preTilePositionalEmbedding() {
        return VISION + "pre_tile_positional_embedding.embedding.weight";
    }

    public static String preTilePositionalEmbeddingGate() {
        return VISION + "pre_tile_positional_embedding.gate";
    }

    public static String postTilePositionalEmbedding() {
        return VISION + "post_tile_positional_embedding.embedding.weight";
    }

    public static String postTilePositionalEmbeddingGate() {
        return VISION + "post_tile_positional_embedding.gate";
    }

    public static String layernormPreWeight() {
        return VISION + "layernorm_pre.weight";
    }

    public static String layernormPreBias() {
        return VISION + "layernorm_pre.bias";
    }

    public static String layernormPostWeight() {
        return VISION + "layernorm_post.weight";
    }

    public static String layernormPostBias() {
        return VISION + "layernorm_post.bias";
    }

    public static String visionInputLayernormWeight(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "input_layernorm.weight");
    }

    public static String visionInputLayernormBias(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "input_layernorm.bias");
    }

    public static String visionQProj(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "self_attn.q_proj.weight");
    }

    public static String visionKProj(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "self_attn.k_proj.weight");
    }

    public static String visionVProj(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "self_attn.v_proj.weight");
    }

    public static String visionOProj(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "self_attn.o_proj.weight");
    }

    public static String visionPostAttentionLayernormWeight(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "post_attention_layernorm.weight");
    }

    public static String visionPostAttentionLayernormBias(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "post_attention_layernorm.bias");
    }

    public static String visionFc1Weight(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "mlp.fc1.weight");
    }

    public static String visionFc1Bias(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "mlp.fc1.bias");
    }

    public static String visionFc2Weight(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "mlp.fc2.weight");
    }

    public static String visionFc2Bias(VisionEncoder encoder, int layer) {
        return encoder.layer(layer, "mlp.fc2.bias");
    }

    /** Only global layers have gates. */
    public static String visionGateAttn(int globalLayer) {
        return VisionEncoder.GLOBAL_TRANSFORMER.layer(globalLayer, "gate_attn");
    }

    public static String visionGateFfn(int globalLayer) {
        return VisionEncoder.GLOBAL_TRANSFORMER.layer(globalLayer, "gate_ffn");
    }

    // multi-modal projector

    public static String multiModalProjectorWeight() {
        return PROJECTOR + "weight";
    }

    public static String multiModalProjectorBias() {
        return PROJECTOR + "bias";
    }

    /** Every tensor the model needs with the shape {@code config} implies, keyed by canonical name, in model order. */
    public static Map<String, long[]> expectedShapes(MllamaConfig config) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (WeightSpec spec : expectedTensors(config)) {
            shapes.put(spec.name(), spec.shape());
        }
        return Collections.unmodifiableMap(shapes);
    }

    /** Every tensor the model needs, with shape and kind, in model order: text, vision, projector. */
    public static List<WeightSpec> expectedTensors(MllamaConfig config) {
        List<WeightSpec> specs = new ArrayList<>();
        addText(specs, config.text());
        addVision(specs, config.vision());
        int d = config.text().hiddenSize();
        specs.add(new WeightSpec(multiModalProjectorWeight(), shape(d, config.vision().visionOutputDim()), Kind.LINEAR));
        specs.add(new WeightSpec(multiModalProjectorBias(), shape(d), Kind.BIAS));
        return List.copyOf(specs);
    }

    private static void addText(List<WeightSpec> specs, TextConfig text) {
        long d = text.hiddenSize();
        long q = (long) text.numAttentionHeads() * text.headDim();
        long kv = (long) text.numKeyValueHeads() * text.headDim();
        long ffn = text.intermediateSize();
        specs.add(new WeightSpec(embedTokens(), shape(text.embeddingRows(), d), Kind.EMBEDDING));
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            specs.add(new WeightSpec(inputLayernorm(layer), shape(d), Kind.NORM_WEIGHT));
            if (text.isCrossAttentionLayer(layer)) {
                specs.add(new WeightSpec(crossAttnQProj(layer), shape(q, d), Kind.LINEAR));
                specs.add(new WeightSpec(crossAttnKProj(layer), shape(kv, d), Kind.LINEAR));
                specs.add(new WeightSpec(crossAttnVProj(layer), shape(kv, d), Kind.LINEAR));
                specs.add(new WeightSpec(crossAttnOProj(layer), shape(d, q), Kind.LINEAR));
                specs.add(new WeightSpec(crossAttnQNorm(layer), shape(text.headDim()), Kind.NORM_WEIGHT));
                specs.add(new WeightSpec(crossAttnKNorm(layer), shape(text.headDim()), Kind.NORM_WEIGHT));
                specs.add(new WeightSpec(crossAttnAttnGate(layer), shape(1), Kind.GATE));
                specs.add(new WeightSpec(crossAttnMlpGate(layer), shape(1), Kind.GATE));
            } else {
                specs.add(new WeightSpec(selfAttnQProj(layer), shape(q, d), Kind.LINEAR));
                specs.add(new WeightSpec(selfAttnKProj(layer), shape(kv, d), Kind.LINEAR));
                specs.add(new WeightSpec(selfAttnVProj(layer), shape(kv, d), Kind.LINEAR));
                specs.add(new WeightSpec(selfAttnOProj(layer), shape(d, q), Kind.LINEAR));
            }
            specs.add(new WeightSpec(postAttentionLayernorm(layer), shape(d), Kind.NORM_WEIGHT));
            specs.add(new WeightSpec(mlpGateProj(layer), shape(ffn, d), Kind.LINEAR));
            specs.add(new WeightSpec(mlpUpProj(layer), shape(ffn, d), Kind.LINEAR));
            specs.add(new WeightSpec(mlpDownProj(layer), shape(d, ffn), Kind.LINEAR));
        }
        specs.add(new WeightSpec(textNorm(), shape(d), Kind.NORM_WEIGHT));
        specs.add(new WeightSpec(lmHead(), shape(text.vocabSize(), d), Kind.LINEAR));
    }

    private static void addVision(List<WeightSpec> specs, VisionConfig vision) {
        long dv = vision.hiddenSize();
        long patches = vision.numPatches();
        long tiles = vision.maxNumTiles();
        long aspectRatioRows = vision.maxAspectRatioId() + 1L;
        int p = vision.patchSize();
        specs.add(new WeightSpec(patchEmbedding(), shape(dv, vision.numChannels(), p, p), Kind.LINEAR));
        specs.add(new WeightSpec(classEmbedding(), shape(dv), Kind.EMBEDDING));
        specs.add(new WeightSpec(gatedPositionalEmbedding(), shape(patches, dv), Kind.EMBEDDING));
        specs.add(new WeightSpec(gatedPositionalEmbeddingGate(), shape(1), Kind.GATE));
        specs.add(new WeightSpec(gatedPositionalTileEmbedding(), shape(aspectRatioRows, tiles * patches * dv), Kind.EMBEDDING));
        specs.add(new WeightSpec(preTilePositionalEmbedding(), shape(aspectRatioRows, tiles * dv), Kind.EMBEDDING));
        specs.add(new WeightSpec(preTilePositionalEmbeddingGate(), shape(1), Kind.GATE));
        specs.add(new WeightSpec(postTilePositionalEmbedding(), shape(aspectRatioRows, tiles * dv), Kind.EMBEDDING));
        specs.add(new WeightSpec(postTilePositionalEmbeddingGate(), shape(1), Kind.GATE));
        specs.add(new WeightSpec(layernormPreWeight(), shape(dv), Kind.NORM_WEIGHT));
        specs.add(new WeightSpec(layernormPreBias(), shape(dv), Kind.NORM_BIAS));
        for (int layer = 0; layer < vision.numHiddenLayers(); layer++) {
            addVisionLayer(specs, vision, VisionEncoder.TRANSFORMER, layer);
        }
        specs.add(new WeightSpec(layernormPostWeight(), shape(dv), Kind.NORM_WEIGHT));
        specs.add(new WeightSpec(layernormPostBias(), shape(dv), Kind.NORM_BIAS));
        for (int layer = 0; layer < vision.numGlobalLayers(); layer++) {
            addVisionLayer(specs, vision, VisionEncoder.GLOBAL_TRANSFORMER, layer);
            specs.add(new WeightSpec(visionGateAttn(layer), shape(1), Kind.GATE));
            specs.add(new WeightSpec(visionGateFfn(layer), shape(1), Kind.GATE));
        }
    }

    private static void addVisionLayer(List<WeightSpec> specs, VisionConfig vision, VisionEncoder encoder, int layer) {
        long dv = vision.hiddenSize();
        long ffn = vision.intermediateSize();
        specs.add(new WeightSpec(visionInputLayernormWeight(encoder, layer), shape(dv), Kind.NORM_WEIGHT));
        specs.add(new WeightSpec(visionInputLayernormBias(encoder, layer), shape(dv), Kind.NORM_BIAS));
        specs.add(new WeightSpec(visionQProj(encoder, layer), shape(dv, dv), Kind.LINEAR));
        specs.add(new WeightSpec(visionKProj(encoder, layer), shape(dv, dv), Kind.LINEAR));
        specs.add(new WeightSpec(visionVProj(encoder, layer), shape(dv, dv), Kind.LINEAR));
        specs.add(new WeightSpec(visionOProj(encoder, layer), shape(dv, dv), Kind.LINEAR));
        specs.add(new WeightSpec(visionPostAttentionLayernormWeight(encoder, layer), shape(dv), Kind.NORM_WEIGHT));
        specs.add(new WeightSpec(visionPostAttentionLayernormBias(encoder, layer), shape(dv), Kind.NORM_BIAS));
        specs.add(new WeightSpec(visionFc1Weight(encoder, layer), shape(ffn, dv), Kind.LINEAR));
        specs.add(new WeightSpec(visionFc1Bias(encoder, layer), shape(ffn), Kind.BIAS));
        specs.add(new WeightSpec(visionFc2Weight(encoder, layer), shape(dv, ffn), Kind.LINEAR));
        specs.add(new WeightSpec(visionFc2Bias(encoder, layer), shape(dv), Kind.BIAS));
    }

    private static long[] shape(long... dims) {
        return dims;
    }
}
