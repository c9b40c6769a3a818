package io.github.llavao1.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;

/**
 * The device, dtype and quantization the model computes with, chosen from the requested names and the libtorch DJL
 * loaded, with the reason in words (logged once when an engine starts).
 *
 * @param device where the weights live
 * @param dtype the compute dtype
 * @param quantization how the text decoder's linear maps are stored
 * @param reason why: what was asked for and what libtorch offers
 */
record DeviceSelection(Device device, DataType dtype, Quantization quantization, String reason) {

    private static final String ENGINE = "PyTorch";

    /** {@link #resolve(String, String, Quantization)} without quantization. */
    static DeviceSelection resolve(String deviceName, String dtypeName) {
        return resolve(deviceName, dtypeName, Quantization.NONE);
    }

    /**
     * Resolves "auto" (the first GPU when the loaded libtorch is a CUDA build and sees one, else the CPU), "cpu",
     * "gpu" or "gpu:N", and "auto" (float16 on a GPU, float32 on the CPU), "float32" or "float16".
     *
     * @throws IllegalStateException when a GPU is asked for and the natives cannot provide one, naming the setting
     *     and what to install
     * @throws IllegalArgumentException when {@code quantization} cannot run on that device and dtype, naming the settings
     */
    static DeviceSelection resolve(String deviceName, String dtypeName, Quantization quantization) {
        int gpuIndex = gpuIndex(deviceName);
        DataType requestedDtype = dtype(dtypeName);
        NativeLibraries natives = beforeLoad(deviceName);
        Engine engine = load(natives);
        boolean cudaBuild = engine.hasCapability(StandardCapabilities.CUDA);
        String libtorch = "PyTorch " + engine.getVersion() + (cudaBuild ? " (CUDA build)" : " (CPU build)") + " from "
                + LibUtils.getLibtorchPath();
        Device device;
        String why;
        if (deviceName.equals("cpu")) {
            device = Device.cpu();
            why = "device cpu requested (" + libtorch + ")";
        } else if (!cudaBuild) {
            if (gpuIndex >= 0) {
                throw new IllegalStateException("device " + deviceName + " requested, but " + libtorch
                        + " has no CUDA support: " + NativeLibraries.GPU_HOWTO);
            }
            device = Device.cpu();
            why = "device auto and " + libtorch + " has no CUDA support"
                    + (natives.cpuOnly() ? " (build with -Pcuda for a GPU: README.md, GPU)" : "");
        } else {
            GpuCount gpus = countGpus(engine, Math.max(gpuIndex, 0));
            if (gpuIndex >= gpus.count()) {
                throw new IllegalStateException("device " + deviceName + " requested, but " + libtorch + " sees "
                        + gpus.count() + " GPU(s)" + gpus.problem() + "; check the NVIDIA driver (nvidia-smi) and "
                        + "CUDA_VISIBLE_DEVICES");
            }
            if (gpuIndex < 0 && gpus.count() == 0) {
                device = Device.cpu();
                why = "device auto and " + libtorch + " sees no GPU" + gpus.problem();
            } else {
                device = Device.gpu(Math.max(gpuIndex, 0));
                why = "device " + deviceName + " and " + libtorch + " sees " + gpus.count() + " CUDA GPU(s)";
            }
        }
        DataType dtype = requestedDtype != null ? requestedDtype : device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
        String dtypeWhy = requestedDtype != null ? "dtype " + dtypeName + " requested"
                : "dtype auto (" + (device.isGpu() ? "float16 on a GPU" : "float32 on the CPU") + ")";
        return new DeviceSelection(device, dtype, quantization, why + "; " + dtypeWhy + quantizationReason(quantization, device, dtype));
    }

    /**
     * Why {@code quantization} runs here, for the log line; refuses where it cannot: int8 needs the CPU (libtorch 2.7.1
     * has no CUDA int8 kernel) computing in float32 (bfloat16 only inside its matrix products).
     */
    private static String quantizationReason(Quantization quantization, Device device, DataType dtype) {
        if (quantization instanceof Quantization.None) {
            return "";
        }
        if (device.isGpu()) {
            throw new IllegalArgumentException("quantization " + quantization + " runs on the CPU only so far (libtorch "
                    + "2.7.1 has no CUDA kernel for it), but the device resolved to " + device
                    + ": use device cpu, or quantization none on a GPU");
        }
        if (dtype != DataType.FLOAT32) {
            throw new IllegalArgumentException("quantization " + quantization + " computes in float32 (bfloat16 inside its "
                    + "matrix products), but dtype " + dtype + " was requested: use dtype auto or float32");
        }
        return "; quantization " + quantization + " (the text decoder's linear maps as int8 per output channel, "
                + "multiplied with bfloat16 activations: " + (cpuHasBf16() ? "this CPU has AVX512-BF16 or AMX"
                : "this CPU reports no AVX512-BF16 or AMX, so expect a slower bfloat16 path") + ")";
    }

    /** Whether /proc/cpuinfo lists avx512_bf16 or amx_bf16 (false where it cannot be read). */
    private static boolean cpuHasBf16() {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("flags")).findFirst()
                    .map(flags -> flags.contains(" avx512_bf16") || flags.contains(" amx_bf16")).orElse(false);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** -1 for "cpu" and "auto", else the GPU index. */
    private static int gpuIndex(String deviceName) {
        if (deviceName.equals("cpu") || deviceName.equals("auto")) {
            return -1;
        }
        if (!deviceName.matches("gpu(:\\d+)?")) {
            throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + deviceName + "'");
        }
        return deviceName.equals("gpu") ? 0 : Integer.parseInt(deviceName.substring(4));
    }

    /** null for "auto". */
    private static DataType dtype(String dtypeName) {
        return switch (dtypeName) {
            case "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            case "auto" -> null;
            default -> throw new IllegalArgumentException("dtype must be auto, float32 or float16, got '" + dtypeName + "'");
        };
    }

    /**
     * What must happen before anything loads DJL natives (the tokenizer's included): DJL's CUDA probe is quieted when
     * it cannot matter, and a GPU that the natives cannot provide or a missing native library is reported.
     */
    static NativeLibraries beforeLoad(String deviceName) {
        NativeLibraries natives = NativeLibraries.detect();
        if (gpuIndex(deviceName) >= 0 && natives.cpuOnly()) {
            throw new IllegalStateException("device " + deviceName + " requested, but DJL would load " + natives.describe()
                    + ", which has no CUDA support: " + NativeLibraries.GPU_HOWTO);
        }
        if (natives.cpuOnly() || deviceName.equals("cpu")) {
            NativeLibraries.quietCudaProbe();
        }
        natives.requireLoadable(Utils.isOfflineMode());
        return natives;
    }

    private static Engine load(NativeLibraries natives) {
        try {
            return Engine.getEngine(ENGINE);
        } catch (EngineException e) {
            throw new IllegalStateException("DJL could not load " + natives.describe() + ": " + e.getMessage()
                    + (natives.kind() == NativeLibraries.Kind.LOCAL ? " (libdjl_torch.so in that folder must be built for "
                            + "exactly that libtorch version; PYTORCH_VERSION and PYTORCH_FLAVOR must name it)" : ""), e);
        }
    }

    /** GPUs libtorch can use, and why none could be used (empty when fine). */
    private record GpuCount(int count, String problem) {
    }

    /**
     * DJL counts GPUs through a CUDA runtime it finds itself (JNA, libcudart), which need not be the one the loaded
     * libtorch uses; when it finds none, ask libtorch by creating a one-element array on each GPU up to the one wanted.
     */
    private static GpuCount countGpus(Engine engine, int wanted) {
        int counted = engine.getGpuCount();
        if (counted > wanted) {
            return new GpuCount(counted, "");
        }
        for (int i = 0; i <= wanted; i++) {
            try (NDManager probe = engine.newBaseManager(Device.gpu(i))) {
                probe.zeros(new Shape(1)).toFloatArray();
            } catch (RuntimeException e) {
                return new GpuCount(i, " (creating an array on gpu(" + i + ") failed: " + e.getMessage() + ")");
            }
        }
        return new GpuCount(wanted + 1, "");
    }
}
