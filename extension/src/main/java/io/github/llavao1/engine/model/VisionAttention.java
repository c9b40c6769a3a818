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
 *
 * @param attentionBlockBytes most bytes of scores computed at once (see {@link ComputeContext#attentionBlockBytes()})
 */
record VisionAttention(NDArray qkvProj, NDArray oProj, int numHeads, int headDim, long attentionBlockBytes) {

    static VisionAttention load(WeightLoader loader, VisionEncoder encoder, int layer, int numHeads, int headDim,
            long attentionBlockBytes) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        NDArray qkv = loader.loadFused(new float[] {scale, 1f, 1f}, WeightNames.visionQProj(encoder, layer),
                WeightNames.visionKProj(encoder, layer), WeightNames.visionVProj(encoder, layer));
        return new VisionAttention(qkv, loader.load(WeightNames.visionOProj(encoder, layer)), numHeads, headDim,
                attentionBlockBytes);
    }

    /** hidden [N, S, D], mask over the S positions → [N, S, D] */
    NDArray forward(NDArray hidden, AspectRatioMask mask) {
        long n = hidden.getShape().get(0);
        long s = hidden.getShape().get(1);
        // qkv matmul, split into heads: [3, N, H, S, hd]; contiguous copies (duplicate), so that every block's
        // products read them at unit stride (q·kᵀ ~30 % faster measured on the CPU, for S·D copied values)
        NDArray qkv = Ops.linear(hidden, qkvProj, null).reshape(n, s, 3, numHeads, headDim).transpose(2, 0, 3, 1, 4);
        NDArray q = qkv.get(0).duplicate();
        NDArray keysTransposed = qkv.get(1).transpose(0, 1, 3, 2).duplicate();
        NDArray v = qkv.get(2).duplicate();
        // scaled dot-product attention with the aspect-ratio mask, in blocks of query rows sized by bytes
        long rows = Ops.attentionRows(attentionBlockBytes, n * numHeads * s, hidden.getDataType(), s);
        NDArray attended;
        if (rows >= s) {
            attended = attend(q, keysTransposed, v, mask.rows(q.getManager(), 0, s));
        } else {
            NDList blocks = new NDList();
            for (long start = 0; start < s; start += rows) {
                long from = start;
                long to = Math.min(s, start + rows);
                blocks.add(Ops.scoped(q.get(new NDIndex(":, :, {}:{}, :", from, to)),
                        block -> attend(block, keysTransposed, v, mask.rows(block.getManager(), from, to))));
            }
            attended = NDArrays.concat(blocks, 2);
        }
        NDArray context = attended.transpose(0, 2, 1, 3).reshape(n, s, (long) numHeads * headDim);
        return Ops.linear(context, oProj, null);
    }

    /** softmax(q kᵀ (+ mask)) v: q [N, H, R, hd], mask rows [R, S] or null (no row masked) → [N, H, R, hd] */
    private static NDArray attend(NDArray q, NDArray keysTransposed, NDArray v, NDArray maskRows) {
        NDArray scores = q.matMul(keysTransposed);
        return (maskRows == null ? scores : scores.add(maskRows)).softmax(-1).matMul(v);
    }
}
