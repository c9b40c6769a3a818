package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Weights of MllamaSelfAttentionDecoderLayer (a Llama decoder layer): pre-norm self-attention and SwiGLU MLP. */
record SelfAttentionDecoderLayer(TextRmsNorm inputLayernorm, TextSelfAttention selfAttn, TextRmsNorm postAttentionLayernorm,
        TextMlp mlp) implements DecoderLayer {

    @Override
    public List<NDArray> scriptWeights() {
        return List.of(inputLayernorm.weight(), selfAttn.qkvProj(), selfAttn.oProj(), postAttentionLayernorm.weight(),
                mlp.gateUpProj(), mlp.downProj());
    }
}
