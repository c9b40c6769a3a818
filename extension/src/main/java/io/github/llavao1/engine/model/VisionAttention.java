package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;

/**
 * Ports MllamaVisionAttention: multi-head self-attention over a tile sequence, no bias. q, k and v are one fused
 * projection, and 1/sqrt(head_dim) is folded into the q rows at load time.
 */
record VisionAttention(NDArray qkvProj, NDArray oProj, int numHeads, int headDim, int queryChunk) {

    static VisionAttention load(WeightLoader loader, VisionEncoder encoder, int layer, int numHeads, int headDim, int queryChunk) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        NDArray qkv = loader.loadFused(new float[] {scale, 1f, 1f}, WeightNames.visionQProj(encoder, layer),
                WeightNames.visionKProj(encoder, layer), WeightNames.visionVProj(encoder, layer));
        return new VisionAttention(qkv, loader.load(WeightNames.visionOProj(encoder, layer)), numHeads, headDim, queryChunk);
    }

    /** hidden [N, S, D], mask [N, 1, S, S] additive → [N, S, D] */
    NDArray forward(NDArray hidden, NDArray mask) {
        long n = hidden.getShape().get(0);
        long s = hidden.getShape().get(1);
        // qkv matmul, split into heads: [3, N, H, S, hd]
        NDArray qkv = Ops.linear(hidden, qkvProj, null).reshape(n, s, 3, numHeads, headDim).transpose(2, 0, 3, 1, 4);
        NDArray q = qkv.get(0);
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        // scaled dot-product attention with the aspect-ratio mask, in blocks of query rows
        NDArray keysTransposed = k.transpose(0, 1, 3, 2);
        NDArray attended;
        if (s <= queryChunk) {
            attended = q.matMul(keysTransposed).add(mask).softmax(-1).matMul(v);
        } else {
            NDList blocks = new NDList();
            for (long start = 0; start < s; start += queryChunk) {
                NDIndex rows = new NDIndex(":, :, {}:{}, :", start, Math.min(s, start + queryChunk));
                NDArray maskRows = mask.get(rows);
                blocks.add(Ops.scoped(q.get(rows), block -> block.matMul(keysTransposed).add(maskRows).softmax(-1).matMul(v)));
            }
            attended = NDArrays.concat(blocks, 2);
        }
        NDArray context = attended.transpose(0, 2, 1, 3).reshape(n, s, (long) numHeads * headDim);
        return Ops.linear(context, oProj, null);
    }
}
