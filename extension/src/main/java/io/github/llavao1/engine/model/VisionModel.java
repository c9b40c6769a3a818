package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;
import io.github.llavao1.engine.config.VisionConfig;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ports MllamaVisionModel: patch embedding, gated tile and position embeddings, a local encoder across all tiles of
 * one image, a gated global encoder, and the concatenation of the global output with the INPUTS of the local layers
 * listed in {@code intermediate_layers_indices} (Meta's reference semantics, which LLaVA-o1 was trained with). The
 * weights live here, each gate folded into its table; the math is {@code VisionEncoder.py}
 * ({@link VisionEncoderScript}), one call per image.
 */
final class VisionModel {

    private final VisionConfig config;
    private final ComputeContext context;
    /** the conv weight [D, 3, p, p] as a linear map over flattened patches [D, 3·p·p] */
    private final NDArray patchEmbedding;
    private final NDArray classEmbedding;
    /** gated_positional_embedding.embedding × (1 − tanh(gate)) and .tile_embedding × tanh(gate) */
    private final NDArray gatedPositionalEmbedding;
    private final NDArray gatedPositionalTileEmbedding;
    /** pre_ and post_tile_positional_embedding.embedding × tanh(gate) */
    private final NDArray preTilePositionalEmbedding;
    private final NDArray postTilePositionalEmbedding;
    private final NDArray layernormPreWeight;
    private final NDArray layernormPreBias;
    private final NDArray layernormPostWeight;
    private final NDArray layernormPostBias;
    private final List<VisionEncoderLayer> transformer = new ArrayList<>();
    private final List<VisionEncoderLayer> globalTransformer = new ArrayList<>();
    private final VisionEncoderScript script;

    VisionModel(VisionConfig config, ComputeContext context, WeightLoader loader) {
        this.config = config;
        this.context = context;
        int d = config.hiddenSize();
        int patch = config.patchSize();
        this.patchEmbedding = loader.load(WeightNames.patchEmbedding()).reshape(d, (long) config.numChannels() * patch * patch);
        this.classEmbedding = loader.load(WeightNames.classEmbedding()).reshape(d);
        float positionGate = (float) Math.tanh(loader.scalar(WeightNames.gatedPositionalEmbeddingGate()));
        this.gatedPositionalEmbedding = loader.load(WeightNames.gatedPositionalEmbedding(), 1f - positionGate);
        this.gatedPositionalTileEmbedding = loader.load(WeightNames.gatedPositionalTileEmbedding(), positionGate);
        this.preTilePositionalEmbedding = loader.load(WeightNames.preTilePositionalEmbedding(),
                (float) Math.tanh(loader.scalar(WeightNames.preTilePositionalEmbeddingGate())));
        this.postTilePositionalEmbedding = loader.load(WeightNames.postTilePositionalEmbedding(),
                (float) Math.tanh(loader.scalar(WeightNames.postTilePositionalEmbeddingGate())));
        this.layernormPreWeight = loader.load(WeightNames.layernormPreWeight());
        this.layernormPreBias = loader.load(WeightNames.layernormPreBias());
        this.layernormPostWeight = loader.load(WeightNames.layernormPostWeight());
        this.layernormPostBias = loader.load(WeightNames.layernormPostBias());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            transformer.add(VisionEncoderLayer.load(loader, config, VisionEncoder.TRANSFORMER, i));
        }
        for (int i = 0; i < config.numGlobalLayers(); i++) {
            globalTransformer.add(VisionEncoderLayer.load(loader, config, VisionEncoder.GLOBAL_TRANSFORMER, i));
        }
        this.script = new VisionEncoderScript(config, context, scriptWeights(), scriptLayers());
    }

    /** VisionEncoder.py's weights by the names of their indices there. */
    private Map<String, NDArray> scriptWeights() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        weights.put("PATCH_EMBEDDING", patchEmbedding);
        weights.put("CLASS_EMBEDDING", classEmbedding);
        weights.put("POSITION_EMBEDDING", gatedPositionalEmbedding);
        weights.put("TILE_POSITION_EMBEDDING", gatedPositionalTileEmbedding);
        weights.put("PRE_TILE_EMBEDDING", preTilePositionalEmbedding);
        weights.put("POST_TILE_EMBEDDING", postTilePositionalEmbedding);
        weights.put("LAYERNORM_PRE_WEIGHT", layernormPreWeight);
        weights.put("LAYERNORM_PRE_BIAS", layernormPreBias);
        weights.put("LAYERNORM_POST_WEIGHT", layernormPostWeight);
        weights.put("LAYERNORM_POST_BIAS", layernormPostBias);
        return weights;
    }

    /** VisionEncoder.py's layers: the local encoder's, then the global encoder's. */
    private List<VisionEncoderLayer> scriptLayers() {
        List<VisionEncoderLayer> layers = new ArrayList<>(transformer);
        layers.addAll(globalTransformer);
        return layers;
    }

    /**
     * pixels [maxTiles, 3, H, W] (processor output, zero tiles after numTiles) → [maxTiles, numPatches, visionOutputDim]
     */
    NDArray forward(NDManager step, float[] pixels, int aspectRatioId, int numTiles) {
        NDArray pixelArray = step.create(FloatBuffer.wrap(pixels),
                        new Shape(config.maxNumTiles(), config.numChannels(), config.imageSize(), config.imageSize()))
                .toDevice(context.device(), false).toType(context.dtype(), false);
        return script.forward(step, pixelArray, aspectRatioId, numTiles);
    }

    VisionConfig config() {
        return config;
    }
}
