package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Weights of MllamaTextCrossAttention, 1/sqrt(head_dim) folded into q_norm. TextDecoder.py's image_keys_values computes
 * the image's keys (k_norm applied) and values once per request; its cross_attention lets the text queries (RMS-normed
 * per head) attend them.
 */
record TextCrossAttention(NDArray qProj, NDArray kProj, NDArray vProj, NDArray oProj, TextRmsNorm qNorm, TextRmsNorm kNorm) {

    static TextCrossAttention load(WeightLoader loader, int layer, int headDim) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        return new TextCrossAttention(loader.load(WeightNames.crossAttnQProj(layer)), loader.load(WeightNames.crossAttnKProj(layer)),
                loader.load(WeightNames.crossAttnVProj(layer)), loader.load(WeightNames.crossAttnOProj(layer)),
                new TextRmsNorm(loader.load(WeightNames.crossAttnQNorm(layer), scale)),
                new TextRmsNorm(loader.load(WeightNames.crossAttnKNorm(layer))));
    }
}
