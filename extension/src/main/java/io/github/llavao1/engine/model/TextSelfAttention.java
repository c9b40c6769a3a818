package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Ports MllamaTextSelfAttention: fused q|k|v projection (1/sqrt(head_dim) folded into q), RoPE on q and k in one
 * call, in-place KV-cache write, and grouped-query attention by broadcasting [B, KV, G, T, hd] queries against
 * [B, KV, 1, S, hd] keys, so K and V are never repeated.
 *
 * @param cacheIndex this layer's slot in the self-attention cache
 * @param attentionBlockBytes most bytes of scores computed at once while reading a long prompt
 *     (see {@link ComputeContext#attentionBlockBytes()})
 */
record TextSelfAttention(NDArray qkvProj, NDArray oProj, RotaryEmbedding rope, int numHeads, int numKvHeads, int headDim,
        int cacheIndex, long attentionBlockBytes) {

    static TextSelfAttention load(WeightLoader loader, int layer, RotaryEmbedding rope, int numHeads, int numKvHeads,
            int headDim, int cacheIndex, long attentionBlockBytes) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        NDArray qkv = loader.loadFused(new float[] {scale, 1f, 1f},
                WeightNames.selfAttnQProj(layer), WeightNames.selfAttnKProj(layer), WeightNames.selfAttnVProj(layer));
        return new TextSelfAttention(qkv, loader.load(WeightNames.selfAttnOProj(layer)), rope, numHeads, numKvHeads, headDim, cacheIndex,
                attentionBlockBytes);
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
        NDArray q = headsFirst(qk.get(new NDIndex(":, :, :{}", numHeads)), b, t, numKvHeads, groups * t);
        NDArray k = headsFirst(qk.get(new NDIndex(":, :, {}:", numHeads)), b, t, numKvHeads, t);
        NDArray v = headsFirst(qkv.get(new NDIndex(":, :, {}:", numHeads + numKvHeads)), b, t, numKvHeads, t);
        // cache write, then attend over everything cached so far ([B, KV, S, hd])
        int total = in.start() + (int) t;
        in.cache().write(cacheIndex, k, v);
        NDArray keys = in.cache().keys(qkv.getManager(), cacheIndex, total);
        NDArray values = in.cache().values(qkv.getManager(), cacheIndex, total);
        long rows = Ops.attentionRows(attentionBlockBytes, b * numHeads * (long) total, q.getDataType(), t);
        NDArray attended = rows >= t ? attend(q, keys, values, in.causalMask(), b, groups, t, total)
                : attendInBlocks(q, keys, values, in.causalMask(), b, groups, t, total, rows);
        // back to [B, T, H·hd]; with one new token (decoding) that is a plain reshape
        NDArray context = t == 1 ? attended.reshape(b, 1, (long) numHeads * headDim)
                : attended.reshape(b, numHeads, t, headDim).transpose(0, 2, 1, 3).reshape(b, t, (long) numHeads * headDim);
        return Ops.linear(context, oProj, null);
    }

    /** softmax(q kᵀ + causal mask) v: q [B, KV, G·T, hd], keys and values [B, KV, S, hd] → [B, KV, G·T, hd] */
    private NDArray attend(NDArray q, NDArray keys, NDArray values, NDArray causalMask, long b, int groups, long t, long total) {
        NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2));
        if (causalMask != null) {
            // the [T, S] mask applies to every group: add it on the [B, KV, G, T, S] view
            scores = scores.reshape(b, numKvHeads, groups, t, total).add(causalMask).reshape(b, numKvHeads, groups * t, total);
        }
        return scores.softmax(-1).matMul(values);
    }

    /** {@link #attend} for a long prompt, {@code rows} tokens at a time (every group's rows of those tokens). */
    private NDArray attendInBlocks(NDArray q, NDArray keys, NDArray values, NDArray causalMask, long b, int groups, long t,
            long total, long rows) {
        NDArray grouped = q.reshape(b, numKvHeads, groups, t, headDim);
        NDList blocks = new NDList();
        for (long start = 0; start < t; start += rows) {
            long from = start;
            long r = Math.min(t, start + rows) - start;
            blocks.add(Ops.scoped(grouped.get(new NDIndex(":, :, :, {}:{}, :", from, from + r)), block -> {
                NDArray maskRows = causalMask.get(block.getManager(), new NDIndex("{}:{}, :", from, from + r));
                return attend(block.reshape(b, numKvHeads, groups * r, headDim), keys, values, maskRows, b, groups, r, total)
                        .reshape(b, numKvHeads, groups, r, headDim);
            }));
        }
        return NDArrays.concat(blocks, 3).reshape(b, numKvHeads, groups * t, headDim);
    }

    /**
     * [B, T, N, hd] → [B, KV, rows, hd] with heads before tokens; one token (decoding) needs no transpose, which
     * saves a call per projection per layer on the step where calls count most.
     */
    private NDArray headsFirst(NDArray x, long b, long t, int kvHeads, long rows) {
        return t == 1 ? x.reshape(b, kvHeads, rows, headDim) : x.transpose(0, 2, 1, 3).reshape(b, kvHeads, rows, headDim);
    }
}
