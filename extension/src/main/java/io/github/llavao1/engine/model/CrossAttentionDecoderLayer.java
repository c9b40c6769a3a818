package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Weights of MllamaCrossAttentionDecoderLayer: tanh-gated cross-attention to the image and a tanh-gated MLP whose
 * output is zeroed for tokens that attend no image (full_text_row_masked_out_mask). Skipped when the pass has no image.
 *
 * @param crossAttnAttnGate tanh(cross_attn_attn_gate)
 * @param crossAttnMlpGate tanh(cross_attn_mlp_gate)
 */
record CrossAttentionDecoderLayer(TextRmsNorm inputLayernorm, TextCrossAttention crossAttn, float crossAttnAttnGate,
        TextRmsNorm postAttentionLayernorm, TextMlp mlp, float crossAttnMlpGate) implements DecoderLayer {

    @Override
    public List<NDArray> scriptWeights() {
        return List.of(inputLayernorm.weight(), crossAttn.qProj(), crossAttn.qNorm().weight(), crossAttn.oProj(),
                postAttentionLayernorm.weight(), mlp.gateUpProj(), mlp.downProj(), crossAttn.kProj(),
                crossAttn.kNorm().weight(), crossAttn.vProj());
    }
}
