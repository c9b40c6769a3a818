package io.github.llavao1.engine.model;

import java.util.List;

/**
 * One layer of the text decoder's weights; config.json's cross_attention_layers decides each layer's kind. The layer's
 * math is TextDecoder.py's (MllamaSelfAttentionDecoderLayer and MllamaCrossAttentionDecoderLayer there).
 */
sealed interface DecoderLayer permits SelfAttentionDecoderLayer, CrossAttentionDecoderLayer {

    /** The layer's weights, one per entry of its kind's description in LayerWeights, in that order (the script's). */
    List<Weight> weights();
}
