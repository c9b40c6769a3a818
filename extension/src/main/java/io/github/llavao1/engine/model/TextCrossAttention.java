package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Ports MllamaTextCrossAttention: text queries (RMS-normed per head, 1/sqrt(head_dim) folded into q_norm) attend the
 * image's keys (k_norm applied) and values, which {@link #projectImage} computes once per request.
 *
 * @param crossIndex this layer's slot in the request's {@link CrossAttentionStates}
 */
record TextCrossAttention(NDArray qProj, NDArray kProj, NDArray vProj, NDArray oProj, TextRmsNorm qNorm, TextRmsNorm kNorm,
        int numHeads, int numKvHeads, int headDim, int crossIndex) {

    static TextCrossAttention load(WeightLoader loader, ComputeContext context, int layer, int numHeads, int numKvHeads,
            int headDim, double eps, int crossIndex) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        return new TextCrossAttention(loader.load(WeightNames.crossAttnQProj(layer)), loader.load(WeightNames.crossAttnKProj(layer)),
                loader.load(WeightNames.crossAttnVProj(layer)), loader.load(WeightNames.crossAttnOProj(layer)),
                TextRmsNorm.load(loader, context, WeightNames.crossAttnQNorm(layer), eps, scale),
                TextRmsNorm.load(loader, context, WeightNames.crossAttnKNorm(layer), eps), numHeads, numKvHeads, headDim, crossIndex);
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

    /** hidden [B, T, D] → [B, T, D] */
    NDArray forward(NDArray hidden, CrossAttentionInputs cross) {
        long b = hidden.getShape().get(0);
        long t = hidden.getShape().get(1);
        int groups = numHeads / numKvHeads;
        long s = cross.states().imagePositions();
        // q projection and per-head RMS norm; each kv head's queries (all sequences, groups and tokens) as the rows of
        // one matrix [KV, B·G·T, hd], so the image keys are shared without being broadcast
        NDArray q = qNorm.forward(Ops.linear(hidden, qProj, null).reshape(b, t, numKvHeads, groups, headDim))
                .transpose(2, 0, 3, 1, 4).reshape(numKvHeads, b * groups * t, headDim);
        // attention over the image positions; the [B|1, T, S] mask applies on the [KV, B, G, T, S] view
        NDArray scores = q.matMul(cross.states().keys(crossIndex).reshape(numKvHeads, s, headDim).transpose(0, 2, 1)).reshape(numKvHeads, b, groups, t, s)
                .add(cross.mask()).softmax(-1).reshape(numKvHeads, b * groups * t, s);
        NDArray context = scores.matMul(cross.states().values(crossIndex).reshape(numKvHeads, s, headDim)).reshape(numKvHeads, b, groups, t, headDim)
                .transpose(1, 3, 0, 2, 4).reshape(b, t, (long) numHeads * headDim);
        return Ops.linear(context, oProj, null);
    }
}
