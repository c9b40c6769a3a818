package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * Ports MllamaCrossAttentionDecoderLayer: tanh-gated cross-attention to the image and a tanh-gated MLP whose output
 * is zeroed for tokens that attend no image (full_text_row_masked_out_mask). Skipped when the pass has no image.
 *
 * @param crossAttnAttnGate tanh(cross_attn_attn_gate) as a device constant
 * @param crossAttnMlpGate tanh(cross_attn_mlp_gate) as a device constant
 */
record CrossAttentionDecoderLayer(TextRmsNorm inputLayernorm, TextCrossAttention crossAttn, NDArray crossAttnAttnGate,
        TextRmsNorm postAttentionLayernorm, TextMlp mlp, NDArray crossAttnMlpGate) implements DecoderLayer {

    @Override
    public NDArray forward(NDArray hidden, LayerInputs in) {
        if (in.cross() == null) {
            return hidden;
        }
        // rmsnorm → cross-attention → tanh gate → residual
        hidden = hidden.add(crossAttn.forward(inputLayernorm.forward(hidden), in.cross()).mul(crossAttnAttnGate));
        // rmsnorm → MLP → drop rows without an image → tanh gate → residual
        NDArray mlpOut = mlp.forward(postAttentionLayernorm.forward(hidden)).mul(in.cross().rowMask());
        return hidden.add(mlpOut.mul(crossAttnMlpGate));
    }
}
