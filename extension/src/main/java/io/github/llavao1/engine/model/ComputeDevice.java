package io.github.llavao1.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where a model is about to be loaded: a device and compute dtype resolved from their settings, with the native
 * memory there that the model will own (see {@link LoadedModel#load}). An opaque handle to the package's
 * {@link ComputeContext}; its static methods check a {@code device} setting and prepare the natives before that.
 */
public final class ComputeDevice {

    private final ComputeContext context;

    private ComputeDevice(ComputeContext context) {
        this.context = context;
    }

    /**
     * Resolves a device ("auto" = the first GPU when the loaded libtorch is a CUDA build and sees one, else the CPU;
     * "cpu"; "gpu"; "gpu:N") and a dtype ("auto" = float16 on a GPU, float32 on the CPU; "float32"; "float16"), logs
     * one line saying which and why, and opens a manager there.
     *
     * @throws IllegalStateException when a GPU is asked for and no CUDA natives can provide it (the message names
     *     the setting and what to install)
     */
    public static ComputeDevice open(String device, String dtype) {
        return open(device, dtype, "none");
    }

    /**
     * As {@link #open(String, String)}, with the text decoder's linear maps stored as {@code quantization} says
     * ("none" or "int8", see {@link Quantization}); the log line says that too.
     *
     * @throws IllegalArgumentException when {@code quantization} is no known value or cannot run on that device and
     *     dtype (int8 needs the CPU in float32), naming the setting
     */
    public static ComputeDevice open(String device, String dtype, String quantization) {
        Quantization parsed;
        try {
            parsed = Quantization.parse(quantization);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quantization " + e.getMessage(), e);
        }
        return new ComputeDevice(ComputeContext.create(device, dtype, parsed));
    }

    /**
     * To call before anything loads DJL natives, the tokenizer's included: quiets DJL's CUDA probe when it cannot
     * matter (the CPU build on the classpath, or device "cpu") and reports a missing native library.
     */
    public static void prepareNatives(String device) {
        DeviceSelection.beforeLoad(device);
    }

    /**
     * Checks, before any weight is read, that {@code device} ({@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N})
     * exists here; {@code auto} and {@code cpu} always do.
     *
     * @throws IllegalArgumentException naming the device and the GPUs PyTorch sees (0 with the CPU libtorch or without
     *     a CUDA driver)
     */
    public static void checkAvailable(String device) {
        if (!device.matches("gpu(:\\d+)?")) {
            return;
        }
        int index = device.equals("gpu") ? 0 : Integer.parseInt(device.substring(4));
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (index >= gpus) {
            throw new IllegalArgumentException("device " + device + " requested but PyTorch sees " + gpus
                    + " GPU(s): install a CUDA libtorch with a matching DJL JNI, or use device=cpu or auto");
        }
    }

    ComputeContext context() {
        return context;
    }

    public boolean isGpu() {
        return context.device().isGpu();
    }

    /** As DJL names it: "cpu()", "gpu(0)". */
    public String device() {
        return context.device().toString();
    }

    /** How the text decoder's linear maps are stored: "none" or "int8". */
    public String quantization() {
        return context.quantization().toString();
    }

    /**
     * Bytes a linear map's weight of {@code rows} × {@code columns} takes here: in the compute dtype, or quantized
     * (values and scales) when the map is {@code quantizable} and quantization is on.
     */
    public long linearBytes(long rows, long columns, boolean quantizable) {
        return (quantizable ? context.quantization() : Quantization.NONE).bytes(rows, columns, elementBytes());
    }

    /** Bytes per element of the compute dtype: 4 for float32, 2 for float16. */
    public int elementBytes() {
        return context.dtype().getNumOfBytes();
    }

    /** As DJL names it: "float32", "float16". */
    public String dtype() {
        return context.dtype().toString();
    }

    /**
     * Best float GEMM rate of this machine right now on this device and dtype (for the bench), in GFLOP/s: a square product
     * (2048 on the CPU, 8192 on a GPU), best of five after a warm-up.
     */
    public double gemmPeakGflops() {
        int n = context.device().isGpu() ? 8192 : 2048;
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(n, n)).toDevice(context.device(), false).toType(context.dtype(), false);
            NDArray b = scope.randomNormal(new Shape(n, n)).toDevice(context.device(), false).toType(context.dtype(), false);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 6; i++) {
                long start = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.get(0, 0).getFloat();
                }
                if (i > 0) {
                    best = Math.min(best, (System.nanoTime() - start) / 1e9);
                }
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }

    /** Frees what {@link #open} allocated, for a device that no model was loaded onto (a loaded model owns it). */
    public void close() {
        context.manager().close();
    }

    /** The device and the dtype, e.g. "cpu() float32", and the quantization when on ("cpu() float32 int8"), for logs and benchmarks. */
    @Override
    public String toString() {
        return device() + " " + dtype() + (context.quantization() instanceof Quantization.None ? "" : " " + quantization());
    }
}
