package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Ports MllamaPrecomputedPositionEmbedding: a per-patch position embedding weighted by (1 - tanh(gate)) plus a
 * per-aspect-ratio, per-tile, per-patch embedding weighted by tanh(gate). Both weights are folded in at load time.
 *
 * @param embedding [numPatches, D], multiplied by 1 - tanh(gate)
 * @param tileEmbedding [maxAspectRatioId + 1, maxTiles * numPatches * D], multiplied by tanh(gate)
 */
record PrecomputedPositionEmbedding(NDArray embedding, NDArray tileEmbedding, int maxTiles, int numPatches, int hiddenSize) {

    static PrecomputedPositionEmbedding load(WeightLoader loader, int maxTiles, int numPatches, int hiddenSize) {
        float gate = (float) Math.tanh(loader.scalar(WeightNames.gatedPositionalEmbeddingGate()));
        return new PrecomputedPositionEmbedding(loader.load(WeightNames.gatedPositionalEmbedding(), 1f - gate),
                loader.load(WeightNames.gatedPositionalTileEmbedding(), gate), maxTiles, numPatches, hiddenSize);
    }

    /** hidden [tiles, numPatches, D] → [tiles, numPatches, D] */
    NDArray forward(NDManager step, NDArray hidden, int aspectRatioId) {
        NDArray tile = tileEmbedding.get(step, new NDIndex(aspectRatioId)).reshape(maxTiles, numPatches, hiddenSize);
        return hidden.add(embedding).add(tile);
    }
}
