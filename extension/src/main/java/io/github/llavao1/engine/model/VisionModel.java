package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;
import io.github.llavao1.engine.config.VisionConfig;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * MllamaVisionModel: patch embedding, gated tile and position embeddings, a local encoder across all tiles of one
 * image, a gated global encoder, and the concatenation of the global output with the INPUTS of the local layers
 * listed in {@code intermediate_layers_indices} (Meta's reference semantics, which LLaVA-o1 was trained with). The
 * math is {@code VisionEncoder.py} ({@link VisionEncoderScript}): one call per image. This class loads the weights in
 * the script's order, folding each gate into its table and 1/sqrt(head_dim) into the q rows.
 */
final class VisionModel {

    private final VisionConfig config;
    private final ComputeContext context;
    private final VisionEncoderScript script;

    VisionModel(VisionConfig config, ComputeContext context, WeightLoader loader) {
        this.config = config;
        this.context = context;
        int d = config.hiddenSize();
        int patch = config.patchSize();
        List<NDArray> weights = new ArrayList<>();
        weights.add(loader.load(WeightNames.patchEmbedding()).reshape(d, (long) config.numChannels() * patch * patch));
        weights.add(loader.load(WeightNames.classEmbedding()).reshape(d));
        float positionGate = (float) Math.tanh(loader.scalar(WeightNames.gatedPositionalEmbeddingGate()));
        weights.add(loader.load(WeightNames.gatedPositionalEmbedding(), 1f - positionGate));
        weights.add(loader.load(WeightNames.gatedPositionalTileEmbedding(), positionGate));
        weights.add(loader.load(WeightNames.preTilePositionalEmbedding(),
                (float) Math.tanh(loader.scalar(WeightNames.preTilePositionalEmbeddingGate()))));
        weights.add(loader.load(WeightNames.postTilePositionalEmbedding(),
                (float) Math.tanh(loader.scalar(WeightNames.postTilePositionalEmbeddingGate()))));
        weights.add(loader.load(WeightNames.layernormPreWeight()));
        weights.add(loader.load(WeightNames.layernormPreBias()));
        weights.add(loader.load(WeightNames.layernormPostWeight()));
        weights.add(loader.load(WeightNames.layernormPostBias()));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            addLayer(weights, loader, VisionEncoder.TRANSFORMER, i);
        }
        List<Double> attnGates = new ArrayList<>();
        List<Double> ffnGates = new ArrayList<>();
        for (int i = 0; i < config.numGlobalLayers(); i++) {
            addLayer(weights, loader, VisionEncoder.GLOBAL_TRANSFORMER, i);
            attnGates.add(Math.tanh(loader.scalar(WeightNames.visionGateAttn(i))));
            ffnGates.add(Math.tanh(loader.scalar(WeightNames.visionGateFfn(i))));
        }
        this.script = new VisionEncoderScript(config, context, weights, attnGates, ffnGates);
    }

    /** One encoder layer's ten weights in VisionEncoder.py's order. */
    private void addLayer(List<NDArray> weights, WeightLoader loader, VisionEncoder encoder, int layer) {
        float scale = (float) (1.0 / Math.sqrt(config.headDim()));
        weights.add(loader.load(WeightNames.visionInputLayernormWeight(encoder, layer)));
        weights.add(loader.load(WeightNames.visionInputLayernormBias(encoder, layer)));
        weights.add(loader.loadFused(new float[] {scale, 1f, 1f}, WeightNames.visionQProj(encoder, layer),
                WeightNames.visionKProj(encoder, layer), WeightNames.visionVProj(encoder, layer)));
        weights.add(loader.load(WeightNames.visionOProj(encoder, layer)));
        weights.add(loader.load(WeightNames.visionPostAttentionLayernormWeight(encoder, layer)));
        weights.add(loader.load(WeightNames.visionPostAttentionLayernormBias(encoder, layer)));
        weights.add(loader.load(WeightNames.visionFc1Weight(encoder, layer)));
        weights.add(loader.load(WeightNames.visionFc1Bias(encoder, layer)));
        weights.add(loader.load(WeightNames.visionFc2Weight(encoder, layer)));
        weights.add(loader.load(WeightNames.visionFc2Bias(encoder, layer)));
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
