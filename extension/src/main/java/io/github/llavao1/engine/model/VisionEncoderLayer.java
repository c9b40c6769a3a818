package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;
import io.github.llavao1.engine.config.VisionConfig;
import java.util.List;

/**
 * Weights of MllamaVisionEncoderLayer: pre-norm attention (q, k and v fused into one projection, 1/sqrt(head_dim)
 * folded into the q rows) and a CLIP MLP (fc1 → GELU → fc2). In the global encoder each block's output is scaled by
 * tanh(gate_attn) / tanh(gate_ffn) before the residual add. VisionEncoder.py's layer applies them.
 *
 * @param gateAttn tanh(gate_attn), 1 in the (ungated) local encoder
 * @param gateFfn tanh(gate_ffn), 1 in the local encoder
 */
record VisionEncoderLayer(NDArray inputLayernormWeight, NDArray inputLayernormBias, NDArray qkvProj, NDArray oProj,
        NDArray postAttentionLayernormWeight, NDArray postAttentionLayernormBias, NDArray fc1Weight, NDArray fc1Bias,
        NDArray fc2Weight, NDArray fc2Bias, double gateAttn, double gateFfn) {

    static VisionEncoderLayer load(WeightLoader loader, VisionConfig config, VisionEncoder encoder, int layer) {
        float scale = (float) (1.0 / Math.sqrt(config.headDim()));
        boolean gated = encoder == VisionEncoder.GLOBAL_TRANSFORMER;
        return new VisionEncoderLayer(
                loader.load(WeightNames.visionInputLayernormWeight(encoder, layer)),
                loader.load(WeightNames.visionInputLayernormBias(encoder, layer)),
                loader.loadFused(new float[] {scale, 1f, 1f}, WeightNames.visionQProj(encoder, layer),
                        WeightNames.visionKProj(encoder, layer), WeightNames.visionVProj(encoder, layer)),
                loader.load(WeightNames.visionOProj(encoder, layer)),
                loader.load(WeightNames.visionPostAttentionLayernormWeight(encoder, layer)),
                loader.load(WeightNames.visionPostAttentionLayernormBias(encoder, layer)),
                loader.load(WeightNames.visionFc1Weight(encoder, layer)),
                loader.load(WeightNames.visionFc1Bias(encoder, layer)),
                loader.load(WeightNames.visionFc2Weight(encoder, layer)),
                loader.load(WeightNames.visionFc2Bias(encoder, layer)),
                gated ? Math.tanh(loader.scalar(WeightNames.visionGateAttn(layer))) : 1.0,
                gated ? Math.tanh(loader.scalar(WeightNames.visionGateFfn(layer))) : 1.0);
    }

    /** The layer's weights in VisionEncoder.py's order (see the comment at its top). */
    List<NDArray> scriptWeights() {
        return List.of(inputLayernormWeight, inputLayernormBias, qkvProj, oProj, postAttentionLayernormWeight,
                postAttentionLayernormBias, fc1Weight, fc1Bias, fc2Weight, fc2Bias);
    }
}
