package io.github.llavao1.engine.model;

import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.checkpoint.WeightNames;
import java.util.List;

/**
 * Weights of MllamaCrossAttentionDecoderLayer, as {@link LayerWeights.CrossAttentionDecoderLayer} describes them:
 * tanh-gated cross-attention to the image and a tanh-gated MLP whose output is zeroed for tokens that attend no image
 * (full_text_row_masked_out_mask). Skipped when the pass has no image.
 *
 * @param crossAttnAttnGate tanh(cross_attn_attn_gate)
 * @param crossAttnMlpGate tanh(cross_attn_mlp_gate)
 */
record CrossAttentionDecoderLayer(List<Weight> weights, float crossAttnAttnGate, float crossAttnMlpGate) implements DecoderLayer {

    static CrossAttentionDecoderLayer load(WeightLoader loader, int layer, int headDim, Quantization quantization) {
        String prefix = WeightNames.textLayer(layer);
        return new CrossAttentionDecoderLayer(loader.loadLayer(LayerWeights.CrossAttentionDecoderLayer.values(), prefix, headDim,
                quantization),
                (float) loader.gate(LayerWeights.CrossAttentionDecoderLayer.CROSS_ATTN_ATTN_GATE, prefix),
                (float) loader.gate(LayerWeights.CrossAttentionDecoderLayer.CROSS_ATTN_MLP_GATE, prefix));
    }
}
