package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Device and dtype selection with the CPU build on the test classpath (the default build), and which natives DJL
 * would load under each setting.
 */
class DeviceSelectionTest {

    @Test
    void autoPicksTheCpuInFloat32AndSaysWhy() {
        DeviceSelection selection = DeviceSelection.resolve("auto", "auto");
        assertEquals(Device.cpu(), selection.device());
        assertEquals(DataType.FLOAT32, selection.dtype());
        assertTrue(selection.reason().startsWith("device auto and PyTorch 2.7.1 (CPU build) from "), selection.reason());
        assertTrue(selection.reason().contains("has no CUDA support (build with -Pcuda for a GPU"), selection.reason());
        assertTrue(selection.reason().endsWith("; dtype auto (float32 on the CPU)"), selection.reason());
    }

    @Test
    void anExplicitDtypeIsKeptAndNamed() {
        DeviceSelection selection = DeviceSelection.resolve("cpu", "float16");
        assertEquals(DataType.FLOAT16, selection.dtype());
        assertTrue(selection.reason().startsWith("device cpu requested (PyTorch 2.7.1 (CPU build)"), selection.reason());
        assertTrue(selection.reason().endsWith("; dtype float16 requested"), selection.reason());
    }

    @Test
    void int8IsChosenOnTheCpuInFloat32AndSaysWhy() {
        DeviceSelection selection = DeviceSelection.resolve("auto", "auto", Quantization.INT8);
        assertEquals(DataType.FLOAT32, selection.dtype());
        assertEquals(Quantization.INT8, selection.quantization());
        assertTrue(selection.reason().contains("; dtype auto (float32 on the CPU); quantization int8 (the text decoder's linear"
                + " maps as int8 per output channel, multiplied with bfloat16 activations: this CPU "), selection.reason());
    }

    @Test
    void int8InFloat16IsRefusedNamingBothSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.resolve("cpu", "float16", Quantization.INT8));
        assertTrue(e.getMessage().startsWith("quantization int8 computes in float32"), e.getMessage());
        assertTrue(e.getMessage().contains("dtype float16 was requested: use dtype auto or float32"), e.getMessage());
    }

    @Test
    void anUnknownQuantizationIsRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.open("cpu", "auto", "int3"));
        assertEquals("quantization must be none or int8, got 'int3'", e.getMessage());
    }

    @Test
    void aGpuWithOnlyTheCpuJarFailsNamingTheProfileAndTheSettings() {
        for (String device : new String[] {"gpu", "gpu:1"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ComputeContext.create(device, "auto"));
            assertTrue(e.getMessage().startsWith("device " + device + " requested, but DJL would load the CPU build of libtorch 2.7.1"),
                    e.getMessage());
            for (String named : new String[] {"ai.djl.pytorch:pytorch-native-cpu", "-Pcuda", "PYTORCH_LIBRARY_PATH", "libdjl_torch.so",
                    "PYTORCH_VERSION", "PYTORCH_FLAVOR", "DJL_OFFLINE"}) {
                assertTrue(e.getMessage().contains(named), "names " + named + ": " + e.getMessage());
            }
        }
    }

    @Test
    void badNamesAreRejectedBeforeAnythingLoads() {
        assertThrows(IllegalArgumentException.class, () -> DeviceSelection.resolve("cuda", "auto"));
        assertThrows(IllegalArgumentException.class, () -> DeviceSelection.resolve("auto", "bfloat16"));
    }

    @Test
    void theNativesFollowDjlsOrderOfSettings() {
        Properties cpuJar = properties("version", "2.7.1-20250812", "flavor", "cpu");
        Properties cudaJar = properties("version", "2.7.1-20250812", "flavor", "cu128");
        Properties placeholder = properties("version", "2.7.1", "placeholder", "true");

        NativeLibraries bundled = NativeLibraries.detect(Map.<String, String>of()::get, cpuJar);
        assertEquals(NativeLibraries.Kind.BUNDLED_CPU, bundled.kind());
        assertTrue(bundled.cpuOnly());
        // PYTORCH_LIBRARY_PATH wins over any jar
        NativeLibraries local = NativeLibraries.detect(Map.of("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib")::get, cpuJar);
        assertEquals(NativeLibraries.Kind.LOCAL, local.kind());
        assertFalse(local.cpuOnly());
        assertEquals("libtorch from PYTORCH_LIBRARY_PATH=/opt/libtorch/lib", local.describe());
        // another PYTORCH_VERSION than the jar's: DJL downloads that version
        assertEquals(NativeLibraries.Kind.DOWNLOAD, NativeLibraries.detect(Map.of("PYTORCH_VERSION", "2.5.1")::get, cpuJar).kind());
        assertEquals(NativeLibraries.Kind.BUNDLED_CPU, NativeLibraries.detect(Map.of("PYTORCH_VERSION", "2.7.1")::get, cpuJar).kind());
        assertEquals(NativeLibraries.Kind.BUNDLED_CUDA, NativeLibraries.detect(Map.<String, String>of()::get, cudaJar).kind());
        assertEquals(NativeLibraries.Kind.DOWNLOAD, NativeLibraries.detect(Map.<String, String>of()::get, placeholder).kind());
        assertEquals(NativeLibraries.Kind.DOWNLOAD, NativeLibraries.detect(Map.<String, String>of()::get, null).kind());
    }

    @Test
    void noNativesWhileOfflineFailsBeforeDjlTriesToDownload() {
        NativeLibraries none = NativeLibraries.detect(Map.<String, String>of()::get, null);
        none.requireLoadable(false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.requireLoadable(true));
        assertTrue(e.getMessage().startsWith("no PyTorch native library: ai.djl.pytorch:pytorch-native-cpu is not on the classpath"),
                e.getMessage());
        assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH is not set and DJL is offline"), e.getMessage());
        NativeLibraries.detect(Map.of("PYTORCH_LIBRARY_PATH", "/x")::get, null).requireLoadable(true);
    }

    private static Properties properties(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
