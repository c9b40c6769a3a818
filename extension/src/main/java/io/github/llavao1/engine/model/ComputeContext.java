package io.github.llavao1.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the model lives and computes: the manager that owns every weight, the device, the compute dtype
 * (float32 on the CPU, float16 on a GPU) and how the text decoder's linear maps are stored. Constants used on the hot
 * path are created here once, as device tensors, because a Java scalar operand is a synchronous upload on a GPU.
 */
record ComputeContext(NDManager manager, Device device, DataType dtype, Quantization quantization) {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeContext.class);

    /** Without quantization. */
    ComputeContext(NDManager manager, Device device, DataType dtype) {
        this(manager, device, dtype, Quantization.NONE);
    }

    /** {@link #create(String, String, Quantization)} without quantization. */
    public static ComputeContext create(String deviceName, String dtypeName) {
        return create(deviceName, dtypeName, Quantization.NONE);
    }

    /** Resolves the settings and opens a manager there, as {@link ComputeDevice#open} describes. */
    public static ComputeContext create(String deviceName, String dtypeName, Quantization quantization) {
        DeviceSelection selection = DeviceSelection.resolve(deviceName, dtypeName, quantization);
        // the reason names the quantization when there is one
        LOG.info("Computing on {} in {}: {}", selection.device(), selection.dtype(), selection.reason());
        if (selection.dtype() == DataType.FLOAT16 && !selection.device().isGpu()) {
            LOG.warn("float16 on the CPU is about 100x slower than float32; use dtype float32 there");
        }
        Engine engine = Engine.getEngine("PyTorch");
        return new ComputeContext(engine.newBaseManager(selection.device()), selection.device(), selection.dtype(),
                selection.quantization());
    }

    /** The most negative finite value of the compute dtype: the additive mask value transformers uses. */
    public float maskValue() {
        return dtype == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
    }
}
