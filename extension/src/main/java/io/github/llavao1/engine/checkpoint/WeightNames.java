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

        /** The names of layer {@code layer}'s tensors start with this (see {@link LayerWeights.VisionEncoderLayer}). */
        public String layer(int layer) {
            return prefix + layer + ".";
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

    /** The names of text layer {@code layer}'s tensors start with this (see {@link LayerWeights}). */
    public static String textLayer(int layer) {
        return TEXT + "layers." + layer + ".";
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
        specs.add(new WeightSpec(embedTokens(), shape(text.embeddingRows(), d), Kind.EMBEDDING));
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            addLayer(specs, text, textLayer(layer), LayerWeights.decoderLayer(text.isCrossAttentionLayer(layer)), true);
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
            addLayer(specs, vision, VisionEncoder.TRANSFORMER.layer(layer), List.of(LayerWeights.VisionEncoderLayer.values()), false);
        }
        specs.add(new WeightSpec(layernormPostWeight(), shape(dv), Kind.NORM_WEIGHT));
        specs.add(new WeightSpec(layernormPostBias(), shape(dv), Kind.NORM_BIAS));
        for (int layer = 0; layer < vision.numGlobalLayers(); layer++) {
            addLayer(specs, vision, VisionEncoder.GLOBAL_TRANSFORMER.layer(layer), List.of(LayerWeights.VisionEncoderLayer.values()), true);
        }
    }

    /** The tensors of one layer's {@code entries}, their gates only when {@code gated}. */
    private static <C> void addLayer(List<WeightSpec> specs, C config, String prefix, List<? extends LayerWeights.Entry<C>> entries, boolean gated) {
        for (LayerWeights.Entry<C> entry : entries) {
            if (gated || !entry.isGate()) {
                for (LayerWeights.Tensor<C> tensor : entry.tensors()) {
                    specs.add(new WeightSpec(tensor.name(prefix), tensor.shape().apply(config), tensor.kind()));
                }
            }
        }
    }

    private static long[] shape(long... dims) {
        return dims;
    }
}
