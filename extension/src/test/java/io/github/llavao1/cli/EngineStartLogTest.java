package io.github.llavao1.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a user sees in the log when the engine starts, in a fresh JVM (DJL's CUDA probe logs once per JVM, so this
 * cannot run inside the test JVM): one INFO line naming the device, the dtype and why, and none of DJL's four
 * "Failed to detect GPU count" WARN lines that a machine with the CUDA runtime but no driver otherwise gets.
 */
class EngineStartLogTest {

    private static final String PROBE_WARNING = "Failed to detect GPU count";

    @Test
    void autoOnTheCpuBuildLogsOneDeviceLineAndNoCudaProbeWarnings() throws Exception {
        Result run = main("generate", "--model", Fixtures.tinyCheckpoint().toString(), "--prompt", "hi", "--greedy",
                "--max-new-tokens", "1");
        assertEquals(0, run.code, run.stderr);
        List<String> deviceLines = run.stderr.lines().filter(l -> l.contains("Computing on ")).toList();
        assertEquals(1, deviceLines.size(), run.stderr);
        assertTrue(deviceLines.get(0).contains("INFO io.github.llavao1.engine.model.ComputeContext - Computing on cpu() in float32: "
                + "device auto and PyTorch 2.7.1 (CPU build)"), deviceLines.get(0));
        assertFalse(run.stderr.contains(PROBE_WARNING), run.stderr);
    }

    @Test
    void int8SaysWhatWasChosenAndWhyInTheSameLine() throws Exception {
        Result run = main("generate", "--model", Fixtures.tinyCheckpoint().toString(), "--prompt", "hi", "--greedy",
                "--max-new-tokens", "1", "--quantization", "int8");
        assertEquals(0, run.code, run.stderr);
        List<String> deviceLines = run.stderr.lines().filter(l -> l.contains("Computing on ")).toList();
        assertEquals(1, deviceLines.size(), run.stderr);
        assertTrue(deviceLines.get(0).contains("Computing on cpu() in float32: device auto and PyTorch 2.7.1 (CPU build)"),
                deviceLines.get(0));
        assertTrue(deviceLines.get(0).contains("; dtype auto (float32 on the CPU); quantization int8 (the text decoder's linear maps"
                + " as int8 per output channel, multiplied with bfloat16 activations: "), deviceLines.get(0));
    }

    @Test
    void anUnknownQuantizationExitsNamingTheSetting() throws Exception {
        Result run = main("generate", "--model", Fixtures.tinyCheckpoint().toString(), "--prompt", "hi", "--quantization", "int3");
        assertEquals(1, run.code, run.stderr);
        assertTrue(run.stderr.contains("quantization must be none or int8, got 'int3'"), run.stderr);
    }

    @Test
    void gpuOnTheCpuBuildExitsWithTheSettingToChange() throws Exception {
        Result run = main("generate", "--model", Fixtures.tinyCheckpoint().toString(), "--prompt", "hi", "--device", "gpu");
        assertEquals(1, run.code, run.stderr);
        assertTrue(run.stderr.contains("error: device gpu requested, but DJL would load the CPU build of libtorch"), run.stderr);
        assertTrue(run.stderr.contains("-Pcuda"), run.stderr);
        assertFalse(run.stderr.contains(PROBE_WARNING), run.stderr);
    }

    private record Result(int code, String stderr) {
    }

    private static Result main(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DJL_OFFLINE", "true");
        // the default build's natives, whatever the developer's shell points DJL at
        builder.environment().keySet().removeIf(name -> name.startsWith("PYTORCH_"));
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not finish: " + stderr);
        }
        return new Result(process.exitValue(), stderr);
    }
}
