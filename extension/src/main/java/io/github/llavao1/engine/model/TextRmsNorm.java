package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Ports MllamaTextRMSNorm: x / sqrt(mean(x²) + eps) computed in float32, cast back, times the weight.
 *
 * @param eps the epsilon as a float32 device constant (no Java scalar operand on the hot path)
 */
record TextRmsNorm(NDArray weight, NDArray eps, DataType dtype) {

    static TextRmsNorm load(WeightLoader loader, ComputeContext context, String name, double eps) {
        return new TextRmsNorm(loader.load(name), context.constantFloat32((float) eps), context.dtype());
    }

    static TextRmsNorm load(WeightLoader loader, ComputeContext context, String name, double eps, float scale) {
        return new TextRmsNorm(loader.load(name, scale), context.constantFloat32((float) eps), context.dtype());
    }

    /** [..., D] → [..., D] */
    NDArray forward(NDArray x) {
        NDArray x32 = dtype == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray normed = x32.div(x32.mul(x32).mean(new int[] {-1}, true).add(eps).sqrt());
        return (dtype == DataType.FLOAT32 ? normed : normed.toType(dtype, false)).mul(weight);
    }
}
