package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Ports MllamaTextSelfAttention: fused q|k|v projection (1/sqrt(head_dim) folded into q), RoPE on q and k in one
 * call, in-place KV-cache write, and grouped-query attention by broadcasting [B, KV, G, T, hd] queries against
 * [B, KV, 1, S, hd] keys, so K and V are never repeated.
 *
 * @param cacheIndex this layer's slot in the self-attention cache
 */
record TextSelfAttention(NDArray qkvProj, NDArray oProj, RotaryEmbedding rope, int numHeads, int numKvHeads, int headDim,
        int cacheIndex) {

    static TextSelfAttention load(WeightLoader loader, int layer, RotaryEmbedding rope, int numHeads, int numKvHeads,
            int headDim, int cacheIndex) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        NDArray qkv = loader.loadFused(new float[] {scale, 1f, 1f},
                WeightNames.selfAttnQProj(layer), WeightNames.selfAttnKProj(layer), WeightNames.selfAttnVProj(layer));
        return new TextSelfAttention(qkv, loader.load(WeightNames.selfAttnOProj(layer)), rope, numHeads, numKvHeads, headDim, cacheIndex);
    }

    /** hidden [B, T, D] → [B, T, D]; appends this pass's keys and values to the cache. */
    NDArray forward(NDArray hidden, LayerInputs in) {
        long b = hidden.getShape().get(0);
        long t = hidden.getShape().get(1);
        int groups = numHeads / numKvHeads;
        // qkv matmul → [B, T, H + 2·KV, hd]; RoPE on the q and k heads together
        NDArray qkv = Ops.linear(hidden, qkvProj, null).reshape(b, t, numHeads + 2L * numKvHeads, headDim);
        NDArray qk = rope.apply(qkv.get(new NDIndex(":, :, :{}", numHeads + numKvHeads)), in.angles());
        // q as [B, KV, G·T, hd]: a kv head's query groups share its keys without K or V being repeated or broadcast
        NDArray q = qk.get(new NDIndex(":, :, :{}", numHeads)).transpose(0, 2, 1, 3).reshape(b, numKvHeads, groups * t, headDim);
        NDArray k = qk.get(new NDIndex(":, :, {}:", numHeads)).transpose(0, 2, 1, 3);
        NDArray v = qkv.get(new NDIndex(":, :, {}:", numHeads + numKvHeads)).transpose(0, 2, 1, 3);
        // cache write, then attend over everything cached so far ([B, KV, S, hd])
        int total = in.start() + (int) t;
        in.cache().write(cacheIndex, k, v);
        NDArray keys = in.cache().keys(qkv.getManager(), cacheIndex, total);
        NDArray values = in.cache().values(qkv.getManager(), cacheIndex, total);
        NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2));
        if (in.causalMask() != null) {
            // the [T, S] mask applies to every group: add it on the [B, KV, G, T, S] view
            scores = scores.reshape(b, numKvHeads, groups, t, total).add(in.causalMask()).reshape(b, numKvHeads, groups * t, total);
        }
        NDArray context = scores.softmax(-1).matMul(values).reshape(b, numHeads, t, headDim)
                .transpose(0, 2, 1, 3).reshape(b, t, (long) numHeads * headDim);
        return Ops.linear(context, oProj, null);
    }
}
