package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Ports MllamaPrecomputedAspectRatioEmbedding (the pre- and post-encoder tile embeddings): one learned vector per
 * tile slot of each aspect ratio, scaled by tanh(gate). The gate is folded into the table at load time.
 *
 * @param embedding [maxAspectRatioId + 1, maxTiles * D], already multiplied by tanh(gate)
 */
record PrecomputedAspectRatioEmbedding(NDArray embedding, int maxTiles, int hiddenSize) {

    static PrecomputedAspectRatioEmbedding load(WeightLoader loader, String embeddingName, String gateName, int maxTiles,
            int hiddenSize) {
        float gate = (float) Math.tanh(loader.scalar(gateName));
        return new PrecomputedAspectRatioEmbedding(loader.load(embeddingName, gate), maxTiles, hiddenSize);
    }

    /** hidden [tiles, P, D] → hidden + embedding[aspectRatioId] as [tiles, 1, D] */
    NDArray forward(NDManager step, NDArray hidden, int aspectRatioId) {
        return hidden.add(embedding.get(step, new NDIndex(aspectRatioId)).reshape(maxTiles, 1, hiddenSize));
    }
}
