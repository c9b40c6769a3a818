package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.config.VisionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vision tower's forward pass as one TorchScript call: {@code VisionEncoder.py} (next to this class, a port of
 * MllamaVisionModel block by block), compiled by libtorch when the model loads and bound to the model's weights.
 * Attention runs as libtorch's {@code scaled_dot_product_attention}, which works through one image's 6,432 positions
 * in blocks of its own, so no score matrix is ever materialised. Thread-safe: the module and the weights list are
 * read-only.
 */
final class VisionEncoderScript implements AutoCloseable {

    private static final String SOURCE = "VisionEncoder.py";

    private final PtSymbolBlock module;
    private final IValue weights;
    private final IValue layers;

    /**
     * @param weights the embeddings and norms by the names of their indices in VisionEncoder.py
     * @param layers the local encoder's layers, then the global encoder's
     */
    VisionEncoderScript(VisionConfig config, ComputeContext context, Map<String, NDArray> weights, List<VisionEncoderLayer> layers) {
        List<Double> attnGates = new ArrayList<>();
        List<Double> ffnGates = new ArrayList<>();
        for (VisionEncoderLayer layer : layers.subList(config.numHiddenLayers(), layers.size())) {
            attnGates.add(layer.gateAttn());
            ffnGates.add(layer.gateFfn());
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("hidden_size", config.hiddenSize());
        attributes.put("num_heads", config.attentionHeads());
        attributes.put("head_dim", config.headDim());
        attributes.put("norm_eps", config.normEps());
        attributes.put("mask_value", (double) context.maskValue());
        attributes.put("patch_size", config.patchSize());
        attributes.put("num_patches", config.numPatches());
        attributes.put("padded_patches", config.paddedPatches());
        List<Boolean> keepInput = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            keepInput.add(config.intermediateLayersIndices().contains(i));
        }
        attributes.put("keep_input", keepInput);
        attributes.put("global_attn_gates", attnGates);
        attributes.put("global_ffn_gates", ffnGates);
        TorchScriptArchive.putIndices(attributes, "", weights.keySet());
        TorchScriptArchive.putIndices(attributes, "LAYER_", LayerWeights.listEntryNames(LayerWeights.VisionEncoderLayer.values()));
        this.module = TorchScriptArchive.compile(context, VisionEncoderScript.class, SOURCE, "VisionEncoder", attributes);
        this.weights = TorchScriptArchive.tensorList(List.copyOf(weights.values()));
        this.layers = TorchScriptArchive.tensorLists(layers.stream().map(VisionEncoderLayer::weights).toList());
        // freed with the model
        ((PtNDManager) context.manager()).attachInternal("vision-encoder-script-" + java.util.UUID.randomUUID(), this);
    }

    /** pixels [maxTiles, 3, H, W] in the compute dtype → [maxTiles, numPatches, visionOutputDim], in {@code step} */
    NDArray forward(NDManager step, NDArray pixels, int aspectRatioId, int numTiles) {
        TorchScriptArchive.usePlainExecutor();
        IValue pixelsValue = IValue.from((PtNDArray) pixels);
        IValue ratio = IValue.from((long) aspectRatioId);
        IValue tiles = IValue.from((long) numTiles);
        IValue result = IValueUtils.runMethod(module, "forward", pixelsValue, ratio, tiles, weights, layers);
        try {
            return result.toTensor((PtNDManager) step);
        } finally {
            result.close();
            tiles.close();
            ratio.close();
            pixelsValue.close();
        }
    }

    @Override
    public void close() {
        weights.close();
        layers.close();
        module.close();
    }
}
