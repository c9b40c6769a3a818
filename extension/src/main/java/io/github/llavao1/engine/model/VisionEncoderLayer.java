package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;
import io.github.llavao1.engine.config.VisionConfig;
import java.util.List;

/**
 * Weights of MllamaVisionEncoderLayer, as {@link LayerWeights.VisionEncoderLayer} describes them: pre-norm attention
 * and a CLIP MLP (fc1 → GELU → fc2). In the global encoder each block's output is scaled by tanh(gate_attn) /
 * tanh(gate_ffn) before the residual add. VisionEncoder.py's layer applies them.
 *
 * @param gateAttn tanh(gate_attn), 1 in the (ungated) local encoder
 * @param gateFfn tanh(gate_ffn), 1 in the local encoder
 */
record VisionEncoderLayer(List<NDArray> weights, double gateAttn, double gateFfn) {

    static VisionEncoderLayer load(WeightLoader loader, VisionConfig config, VisionEncoder encoder, int layer) {
        String prefix = encoder.layer(layer);
        boolean gated = encoder == VisionEncoder.GLOBAL_TRANSFORMER;
        return new VisionEncoderLayer(loader.loadLayer(LayerWeights.VisionEncoderLayer.values(), prefix, config.headDim()),
                gated ? loader.gate(LayerWeights.VisionEncoderLayer.GATE_ATTN, prefix) : 1.0,
                gated ? loader.gate(LayerWeights.VisionEncoderLayer.GATE_FFN, prefix) : 1.0);
    }
}
