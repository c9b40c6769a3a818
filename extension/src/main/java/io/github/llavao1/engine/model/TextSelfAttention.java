package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Weights of MllamaTextSelfAttention: the q, k and v projections fused into one [(H + 2·KV)·hd, D] matrix with
 * 1/sqrt(head_dim) folded into the q rows, and o_proj. TextDecoder.py's self_attention applies them.
 */
record TextSelfAttention(NDArray qkvProj, NDArray oProj) {

    static TextSelfAttention load(WeightLoader loader, int layer, int headDim) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        NDArray qkv = loader.loadFused(new float[] {scale, 1f, 1f},
                WeightNames.selfAttnQProj(layer), WeightNames.selfAttnKProj(layer), WeightNames.selfAttnVProj(layer));
        return new TextSelfAttention(qkv, loader.load(WeightNames.selfAttnOProj(layer)));
    }
}
