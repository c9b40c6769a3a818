package io.github.llavao1.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Where the model lives and computes: the manager that owns every weight, the device and the compute dtype
 * (float32 on the CPU, float16 on a GPU). Constants used on the hot path are created here once, as device
 * tensors, because a Java scalar operand is a synchronous upload on a GPU.
 */
public record ComputeContext(NDManager manager, Device device, DataType dtype) {

    /** A rank-0 constant on the device in the compute dtype. */
    public NDArray constant(float value) {
        return manager.create(value).toType(dtype, false);
    }

    /** A float32 rank-0 constant (for norms computed in float32). */
    public NDArray constantFloat32(float value) {
        return manager.create(value);
    }

    /** The most negative finite value of the compute dtype: the additive mask value transformers uses. */
    public float maskValue() {
        return dtype == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
    }

    public NDArray zeros(Shape shape) {
        return manager.zeros(shape, dtype);
    }
}
