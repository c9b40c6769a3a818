package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;

/** nn.LayerNorm with weight and bias, as used throughout the vision encoder. */
record LayerNorm(NDArray weight, NDArray bias, float eps) {

    static LayerNorm load(WeightLoader loader, String weightName, String biasName, double eps) {
        return new LayerNorm(loader.load(weightName), loader.load(biasName), (float) eps);
    }

    /** x [..., D] → [..., D] */
    NDArray forward(NDArray x) {
        return Ops.layerNorm(x, weight, bias, eps);
    }
}
