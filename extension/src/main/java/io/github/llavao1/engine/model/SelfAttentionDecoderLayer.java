package io.github.llavao1.engine.model;

import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.checkpoint.WeightNames;
import java.util.List;

/**
 * Weights of MllamaSelfAttentionDecoderLayer (a Llama decoder layer): pre-norm self-attention and SwiGLU MLP, as
 * {@link LayerWeights.SelfAttentionDecoderLayer} describes them.
 */
record SelfAttentionDecoderLayer(List<Weight> weights) implements DecoderLayer {

    static SelfAttentionDecoderLayer load(WeightLoader loader, int layer, int headDim, Quantization quantization) {
        return new SelfAttentionDecoderLayer(loader.loadLayer(LayerWeights.SelfAttentionDecoderLayer.values(),
                WeightNames.textLayer(layer), headDim, quantization));
    }
}
