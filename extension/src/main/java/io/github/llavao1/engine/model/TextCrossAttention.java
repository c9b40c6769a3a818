package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Ports MllamaTextCrossAttention's image side: the keys (k_norm applied) and values of the image states, computed once
 * per request by {@link #projectImage}. The text queries (RMS-normed per head, 1/sqrt(head_dim) folded into q_norm)
 * attend them in TextDecoder.py's cross_attention.
 */
record TextCrossAttention(NDArray qProj, NDArray kProj, NDArray vProj, NDArray oProj, TextRmsNorm qNorm, TextRmsNorm kNorm,
        int numKvHeads, int headDim) {

    static TextCrossAttention load(WeightLoader loader, ComputeContext context, int layer, int numKvHeads, int headDim,
            double eps) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        return new TextCrossAttention(loader.load(WeightNames.crossAttnQProj(layer)), loader.load(WeightNames.crossAttnKProj(layer)),
                loader.load(WeightNames.crossAttnVProj(layer)), loader.load(WeightNames.crossAttnOProj(layer)),
                TextRmsNorm.load(loader, context, WeightNames.crossAttnQNorm(layer), eps, scale),
                TextRmsNorm.load(loader, context, WeightNames.crossAttnKNorm(layer), eps), numKvHeads, headDim);
    }

    /**
     * image states [1, S, D] → (keys [1, KV, S, hd], values [1, KV, S, hd]) in {@code manager}.
     */
    NDList projectImage(NDManager manager, NDArray states) {
        long s = states.getShape().get(1);
        NDArray k = kNorm.forward(Ops.linear(states, kProj, null).reshape(s, numKvHeads, headDim).transpose(1, 0, 2));
        NDArray v = Ops.linear(states, vProj, null).reshape(s, numKvHeads, headDim).transpose(1, 0, 2);
        // flattening copies the head-major views into contiguous memory, read on every pass
        NDArray keys = k.reshape(-1).reshape(1, numKvHeads, s, headDim);
        NDArray values = v.reshape(-1).reshape(1, numKvHeads, s, headDim);
        keys.attach(manager);
        values.attach(manager);
        return new NDList(keys, values);
    }
}
