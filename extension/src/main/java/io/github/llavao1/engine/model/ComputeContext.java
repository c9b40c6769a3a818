package io.github.llavao1.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the model lives and computes: the manager that owns every weight, the device and the compute dtype
 * (float32 on the CPU, float16 on a GPU). Constants used on the hot path are created here once, as device
 * tensors, because a Java scalar operand is a synchronous upload on a GPU.
 *
 * @param attentionBlockBytes most bytes of vision attention scores computed at once: one image's vision sequence is
 *     maxTiles × paddedPatches long (6,432 for LLaVA-o1), so whole score matrices take gigabytes; the CPU computes
 *     them in blocks of query rows sized by {@link #CPU_ATTENTION_BLOCK_BYTES}, a GPU in one piece (fewer calls
 *     matter more there)
 */
record ComputeContext(NDManager manager, Device device, DataType dtype, long attentionBlockBytes) {

    /**
     * 16 MB of scores per block on the CPU: below glibc's largest dynamic mmap threshold (32 MB), so a freed block's
     * memory is reused by the next one. Larger blocks (1,024 vision rows took 105 MB) are mapped afresh as zeroed
     * pages every time: ~485k page faults and seconds of system time per vision layer (issue #10).
     */
    public static final long CPU_ATTENTION_BLOCK_BYTES = 16L << 20;

    public ComputeContext {
        if (attentionBlockBytes < 1) {
            throw new IllegalArgumentException("attentionBlockBytes must be >= 1, got " + attentionBlockBytes);
        }
    }

    /** With the device's default attention block (see {@link #attentionBlockBytes()}). */
    public ComputeContext(NDManager manager, Device device, DataType dtype) {
        this(manager, device, dtype, device.isGpu() ? Long.MAX_VALUE : CPU_ATTENTION_BLOCK_BYTES);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ComputeContext.class);

    /** Resolves the settings and opens a manager there, as {@link ComputeDevice#open} describes. */
    public static ComputeContext create(String deviceName, String dtypeName) {
        DeviceSelection selection = DeviceSelection.resolve(deviceName, dtypeName);
        LOG.info("Computing on {} in {}: {}", selection.device(), selection.dtype(), selection.reason());
        if (selection.dtype() == DataType.FLOAT16 && !selection.device().isGpu()) {
            LOG.warn("float16 on the CPU is about 100x slower than float32; use dtype float32 there");
        }
        Engine engine = Engine.getEngine("PyTorch");
        return new ComputeContext(engine.newBaseManager(selection.device()), selection.device(), selection.dtype());
    }

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
}
