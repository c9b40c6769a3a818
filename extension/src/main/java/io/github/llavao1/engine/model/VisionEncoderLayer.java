package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;
import io.github.llavao1.engine.config.VisionConfig;

/**
 * Ports MllamaVisionEncoderLayer: pre-norm attention and MLP blocks; in the global encoder each block's output is
 * scaled by tanh(gate_attn) / tanh(gate_ffn) before the residual add.
 *
 * @param gateAttn tanh(gate_attn) as a device constant, or null in the (ungated) local encoder
 * @param gateFfn tanh(gate_ffn) as a device constant, or null in the local encoder
 */
record VisionEncoderLayer(LayerNorm inputLayernorm, VisionAttention selfAttn, LayerNorm postAttentionLayernorm,
        VisionMlp mlp, NDArray gateAttn, NDArray gateFfn) {

    static VisionEncoderLayer load(WeightLoader loader, ComputeContext context, VisionConfig config, VisionEncoder encoder, int layer) {
        boolean gated = encoder == VisionEncoder.GLOBAL_TRANSFORMER;
        NDArray gateAttn = gated ? context.constant((float) Math.tanh(loader.scalar(WeightNames.visionGateAttn(layer)))) : null;
        NDArray gateFfn = gated ? context.constant((float) Math.tanh(loader.scalar(WeightNames.visionGateFfn(layer)))) : null;
        double eps = config.normEps();
        return new VisionEncoderLayer(
                LayerNorm.load(loader, WeightNames.visionInputLayernormWeight(encoder, layer), WeightNames.visionInputLayernormBias(encoder, layer), eps),
                VisionAttention.load(loader, encoder, layer, config.attentionHeads(), config.headDim(), context.attentionBlockBytes()),
                LayerNorm.load(loader, WeightNames.visionPostAttentionLayernormWeight(encoder, layer),
                        WeightNames.visionPostAttentionLayernormBias(encoder, layer), eps),
                VisionMlp.load(loader, encoder, layer), gateAttn, gateFfn);
    }

    /** hidden [N, S, D], mask over the S positions → [N, S, D] */
    NDArray forward(NDArray hidden, AspectRatioMask mask) {
        // attention block: norm → attention → (gate) → residual
        NDArray attn = selfAttn.forward(inputLayernorm.forward(hidden), mask);
        hidden = hidden.add(gateAttn == null ? attn : attn.mul(gateAttn));
        // MLP block: norm → MLP → (gate) → residual
        NDArray ffn = mlp.forward(postAttentionLayernorm.forward(hidden));
        return hidden.add(gateFfn == null ? ffn : ffn.mul(gateFfn));
    }
}
