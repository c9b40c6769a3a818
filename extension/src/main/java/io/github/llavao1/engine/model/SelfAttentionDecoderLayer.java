package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;

/** Ports MllamaSelfAttentionDecoderLayer (a Llama decoder layer): pre-norm self-attention and SwiGLU MLP. */
record SelfAttentionDecoderLayer(TextRmsNorm inputLayernorm, TextSelfAttention selfAttn, TextRmsNorm postAttentionLayernorm,
        TextMlp mlp) implements DecoderLayer {

    @Override
    public NDArray forward(NDArray hidden, LayerInputs in) {
        // attention rmsnorm → self-attention → residual
        hidden = hidden.add(selfAttn.forward(inputLayernorm.forward(hidden), in));
        // ffn rmsnorm → SwiGLU → residual
        return hidden.add(mlp.forward(postAttentionLayernorm.forward(hidden)));
    }
}
