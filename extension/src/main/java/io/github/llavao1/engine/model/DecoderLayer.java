package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;

/** One layer of the text decoder; config.json's cross_attention_layers decides each layer's kind. */
sealed interface DecoderLayer permits SelfAttentionDecoderLayer, CrossAttentionDecoderLayer {

    /** hidden [B, T, D] → [B, T, D] */
    NDArray forward(NDArray hidden, LayerInputs in);
}
