package io.github.llavao1.engine.model;

/**
 * Where a model is about to be loaded: a device and compute dtype resolved from their settings, with the native
 * memory there that the model will own (see {@link LoadedModel#load}). An opaque handle to the package's
 * {@link ComputeContext}.
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
        return new ComputeDevice(ComputeContext.create(device, dtype));
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

    /** Bytes per element of the compute dtype: 4 for float32, 2 for float16. */
    public int elementBytes() {
        return context.dtype().getNumOfBytes();
    }

    /** As DJL names it: "float32", "float16". */
    public String dtype() {
        return context.dtype().toString();
    }

    /** Frees what {@link #open} allocated, for a device that no model was loaded onto (a loaded model owns it). */
    public void close() {
        context.manager().close();
    }

    /** The device and the dtype, e.g. "cpu() float32", for logs and benchmarks. */
    @Override
    public String toString() {
        return device() + " " + dtype();
    }
}
