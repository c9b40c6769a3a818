package io.github.llavao1.engine.model;

import ai.djl.engine.Engine;

/**
 * What PyTorch can compute on, for checking a {@code device} option before any weight is read (then
 * {@link ComputeDevice#open} picks one).
 */
public final class Devices {

    private Devices() {
    }

    /**
     * To call before anything loads DJL natives, the tokenizer's included: quiets DJL's CUDA probe when it cannot
     * matter (the CPU build on the classpath, or device "cpu") and reports a missing native library.
     */
    public static void prepareNatives(String device) {
        DeviceSelection.beforeLoad(device);
    }

    /** The GPUs PyTorch sees: 0 with the CPU libtorch or without a CUDA driver. */
    public static int gpuCount() {
        return Engine.getEngine("PyTorch").getGpuCount();
    }

    /**
     * Checks that {@code device} ({@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}) exists here; {@code auto}
     * and {@code cpu} always do.
     *
     * @throws IllegalArgumentException naming the device and the GPUs PyTorch sees
     */
    public static void checkAvailable(String device) {
        if (!device.matches("gpu(:\\d+)?")) {
            return;
        }
        int index = device.equals("gpu") ? 0 : Integer.parseInt(device.substring(4));
        int gpus = gpuCount();
        if (index >= gpus) {
            throw new IllegalArgumentException("device " + device + " requested but PyTorch sees " + gpus
                    + " GPU(s): install a CUDA libtorch with a matching DJL JNI, or use device=cpu or auto");
        }
    }
}
