package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;
import io.github.llavao1.engine.config.VisionConfig;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ports MllamaVisionModel: patch embedding, gated tile and position embeddings, a local encoder across all tiles of
 * one image, a gated global encoder, and the concatenation of the global output with the INPUTS of the local
 * layers listed in {@code intermediate_layers_indices} (Meta's reference semantics, which LLaVA-o1 was trained with).
 * One image is encoded per call: attention spans the tiles of one image only.
 */
final class VisionModel {

    private final VisionConfig config;
    private final ComputeContext context;
    private final NDArray patchEmbedding;
    private final NDArray classEmbedding;
    private final PrecomputedPositionEmbedding gatedPositionalEmbedding;
    private final PrecomputedAspectRatioEmbedding preTilePositionalEmbedding;
    private final PrecomputedAspectRatioEmbedding postTilePositionalEmbedding;
    private final LayerNorm layernormPre;
    private final LayerNorm layernormPost;
    private final List<VisionEncoderLayer> transformer;
    private final List<VisionEncoderLayer> globalTransformer;
    private final Set<Integer> intermediateLayers;
    private final NDArray maskValue;

    VisionModel(VisionConfig config, ComputeContext context, WeightLoader loader) {
        this.config = config;
        this.context = context;
        int d = config.hiddenSize();
        int patch = config.patchSize();
        // the conv weight [D, 3, p, p] used as a linear map over flattened patches
        this.patchEmbedding = loader.load(WeightNames.patchEmbedding()).reshape(d, (long) config.numChannels() * patch * patch);
        this.classEmbedding = loader.load(WeightNames.classEmbedding()).reshape(1, 1, d);
        this.gatedPositionalEmbedding = PrecomputedPositionEmbedding.load(loader, config.maxNumTiles(), config.numPatches(), d);
        this.preTilePositionalEmbedding = PrecomputedAspectRatioEmbedding.load(loader, WeightNames.preTilePositionalEmbedding(),
                WeightNames.preTilePositionalEmbeddingGate(), config.maxNumTiles(), d);
        this.postTilePositionalEmbedding = PrecomputedAspectRatioEmbedding.load(loader, WeightNames.postTilePositionalEmbedding(),
                WeightNames.postTilePositionalEmbeddingGate(), config.maxNumTiles(), d);
        this.layernormPre = LayerNorm.load(loader, WeightNames.layernormPreWeight(), WeightNames.layernormPreBias(), config.normEps());
        this.layernormPost = LayerNorm.load(loader, WeightNames.layernormPostWeight(), WeightNames.layernormPostBias(), config.normEps());
        this.transformer = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            transformer.add(VisionEncoderLayer.load(loader, context, config, VisionEncoder.TRANSFORMER, i));
        }
        this.globalTransformer = new ArrayList<>();
        for (int i = 0; i < config.numGlobalLayers(); i++) {
            globalTransformer.add(VisionEncoderLayer.load(loader, context, config, VisionEncoder.GLOBAL_TRANSFORMER, i));
        }
        this.intermediateLayers = new TreeSet<>(config.intermediateLayersIndices());
        this.maskValue = context.constant(context.maskValue());
    }

    /**
     * pixels [maxTiles, 3, H, W] (processor output, zero tiles after numTiles) → [maxTiles, numPatches, visionOutputDim]
     */
    NDArray forward(NDManager step, float[] pixels, int aspectRatioId, int numTiles) {
        int tiles = config.maxNumTiles();
        int d = config.hiddenSize();
        int side = config.patchesPerSide();
        int patch = config.patchSize();
        int numPatches = config.numPatches();
        int padded = config.paddedPatches();
        NDArray pixelArray = step.create(FloatBuffer.wrap(pixels), new Shape(tiles, config.numChannels(), config.imageSize(), config.imageSize()))
                .toDevice(context.device(), false).toType(context.dtype(), false);
        // patch embedding: [tiles, 3, H, W] → [tiles, side², 3·p·p] → [tiles, side², D]
        NDArray patches = pixelArray.reshape(tiles, config.numChannels(), side, patch, side, patch)
                .transpose(0, 2, 4, 1, 3, 5).reshape(tiles, (long) side * side, (long) config.numChannels() * patch * patch);
        NDArray hidden = Ops.linear(patches, patchEmbedding, null);
        // pre-tile embedding, class token, position embeddings, pre-norm
        hidden = preTilePositionalEmbedding.forward(step, hidden, aspectRatioId);
        hidden = classEmbedding.get(step, new NDIndex(":")).broadcast(tiles, 1, d).concat(hidden, 1);
        hidden = gatedPositionalEmbedding.forward(step, hidden, aspectRatioId);
        hidden = layernormPre.forward(hidden);
        // pad every tile to a multiple of 8 patches, then attend across all tiles of the image
        hidden = hidden.concat(step.zeros(new Shape(tiles, padded - numPatches, d), context.dtype(), context.device()), 1)
                .reshape(1, (long) tiles * padded, d);
        AspectRatioMask mask = aspectRatioMask(step, numTiles);
        // local encoder, keeping the inputs of the listed layers
        NDList intermediates = new NDList();
        for (int i = 0; i < transformer.size(); i++) {
            VisionEncoderLayer layer = transformer.get(i);
            NDArray input = hidden;
            hidden = Ops.scoped(input, x -> layer.forward(x, mask));
            if (intermediateLayers.contains(i)) {
                intermediates.add(input);
            } else {
                input.close();
            }
        }
        // post-norm, post-tile embedding, gated global encoder
        hidden = layernormPost.forward(hidden).reshape(tiles, padded, d);
        hidden = postTilePositionalEmbedding.forward(step, hidden, aspectRatioId).reshape(1, (long) tiles * padded, d);
        for (VisionEncoderLayer layer : globalTransformer) {
            NDArray input = hidden;
            hidden = Ops.scoped(input, x -> layer.forward(x, mask));
            input.close();
        }
        // drop the padding patches and append the intermediate states, feature-major as torch.stack(dim=-1) lays them out
        NDIndex unpadded = new NDIndex(":, :{}, :", numPatches);
        hidden = hidden.reshape(tiles, padded, d).get(unpadded);
        NDArray stacked = NDArrays.stack(intermediates, -1).reshape(tiles, padded, (long) d * intermediates.size()).get(unpadded);
        return hidden.concat(stacked, -1);
    }

    /** The aspect-ratio mask of an image with {@code numTiles} real tiles (see {@link AspectRatioMask}). */
    private AspectRatioMask aspectRatioMask(NDManager step, int numTiles) {
        int tiles = config.maxNumTiles();
        int padded = config.paddedPatches();
        int length = tiles * padded;
        boolean[] invalid = new boolean[length];
        float[] flags = new float[length];
        for (int i = 0; i < length; i++) {
            invalid[i] = i / padded >= numTiles || i % padded >= config.numPatches();
            flags[i] = invalid[i] ? 1f : 0f;
        }
        NDArray queryFlags = step.create(FloatBuffer.wrap(flags), new Shape(length))
                .toDevice(context.device(), false).toType(context.dtype(), false);
        return new AspectRatioMask(invalid, queryFlags, queryFlags.mul(maskValue).reshape(1, length));
    }

    VisionConfig config() {
        return config;
    }
}
