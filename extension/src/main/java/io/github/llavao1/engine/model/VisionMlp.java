package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightNames.VisionEncoder;

/** Ports MllamaVisionMLP (CLIP MLP): fc1 → GELU → fc2, with biases. */
record VisionMlp(NDArray fc1Weight, NDArray fc1Bias, NDArray fc2Weight, NDArray fc2Bias) {

    static VisionMlp load(WeightLoader loader, VisionEncoder encoder, int layer) {
        return new VisionMlp(loader.load(WeightNames.visionFc1Weight(encoder, layer)), loader.load(WeightNames.visionFc1Bias(encoder, layer)),
                loader.load(WeightNames.visionFc2Weight(encoder, layer)), loader.load(WeightNames.visionFc2Bias(encoder, layer)));
    }

    /** [N, S, D] → [N, S, D] */
    NDArray forward(NDArray x) {
        return Ops.linear(Ops.gelu(Ops.linear(x, fc1Weight, fc1Bias)), fc2Weight, fc2Bias);
    }
}
