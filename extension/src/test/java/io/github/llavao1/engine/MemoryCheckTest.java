package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import io.github.llavao1.engine.model.ComputeDevice;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Loading onto the CPU refuses weights that do not fit in the available memory, with both figures named. */
class MemoryCheckTest {

    private static final String MEMINFO = """
            MemTotal:       24683520 kB
            MemFree:         1000000 kB
            MemAvailable:   20000000 kB
            Buffers:          100000 kB
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void memAvailableIsReadInBytes() throws IOException {
        assertEquals(OptionalLong.of(20_000_000L * 1024), MemoryCheck.memAvailable(write("meminfo", MEMINFO)));
        assertEquals(OptionalLong.empty(), MemoryCheck.memAvailable(write("other", "MemTotal: 1 kB\n")));
        assertEquals(OptionalLong.empty(), MemoryCheck.memAvailable(dir.resolve("absent")));
    }

    @Test
    void aCgroupV2LimitLowersWhatIsAvailable() throws IOException {
        Path meminfo = write("meminfo", MEMINFO);
        Path self = write("self-cgroup", "0::/kubepods/pod1/c1\n");
        write("cgroup/kubepods/pod1/c1/memory.max", "4294967296\n");
        write("cgroup/kubepods/pod1/c1/memory.current", "1073741824\n");
        assertEquals(OptionalLong.of(3L << 30), MemoryCheck.available(meminfo, self, dir.resolve("cgroup")));

        write("cgroup/kubepods/pod1/c1/memory.max", "max\n");
        assertEquals(OptionalLong.of(20_000_000L * 1024), MemoryCheck.available(meminfo, self, dir.resolve("cgroup")),
                "no limit: MemAvailable");
    }

    @Test
    void aCgroupV1LimitLowersWhatIsAvailable() throws IOException {
        Path meminfo = write("meminfo", MEMINFO);
        Path self = write("self-cgroup", "12:cpu,cpuacct:/docker/abc\n9:memory:/docker/abc\n");
        write("cgroup/memory/docker/abc/memory.limit_in_bytes", "2147483648\n");
        write("cgroup/memory/docker/abc/memory.usage_in_bytes", "536870912\n");
        assertEquals(OptionalLong.of(1536L << 20), MemoryCheck.available(meminfo, self, dir.resolve("cgroup")));

        write("cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
        assertEquals(OptionalLong.of(20_000_000L * 1024), MemoryCheck.available(meminfo, self, dir.resolve("cgroup")),
                "v1's 'unlimited' is not a limit");
    }

    @Test
    void withoutProcNothingIsKnownAndNothingIsChecked() {
        assertEquals(OptionalLong.empty(), MemoryCheck.available(dir.resolve("none"), dir.resolve("none"), dir));
        MemoryCheck.check(dir, "cpu() float32", Long.MAX_VALUE, OptionalLong.empty(), MemoryCheck.ENGINE_SETTING);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "MemAvailable and cgroups are Linux's; elsewhere nothing is checked"
            + " (withoutProcNothingIsKnownAndNothingIsChecked)")
    void thisLinuxMachineReportsItsMemory() {
        OptionalLong available = MemoryCheck.available();
        assertTrue(available.isPresent() && available.getAsLong() > 0, available.toString());
    }

    @Test
    void int8CountsTheTextDecodersLinearMapsAtAByteAWeightAndAScaleARow() {
        // the tiny fixture's text decoder (FIXTURES.md): D 64, 4 heads and 2 KV heads of 16, FFN 128, vocab 431;
        // self-attention layers 0, 2, 4 (q|k|v [128, 64], o [64, 64]), cross-attention layers 1, 3 (q, o [64, 64]; k and v
        // stay float32), every layer's gate|up [256, 64] and down [64, 128], the LM head [431, 64]
        long[][] quantized = {{128, 64}, {128, 64}, {128, 64}, {64, 64}, {64, 64}, {64, 64}, {64, 64}, {64, 64}, {64, 64},
            {64, 64}, {256, 64}, {256, 64}, {256, 64}, {256, 64}, {256, 64}, {64, 128}, {64, 128}, {64, 128}, {64, 128},
            {64, 128}, {431, 64}};
        long saved = 0;
        for (long[] shape : quantized) {
            saved += 4 * shape[0] * shape[1] - (shape[0] * shape[1] + 4 * shape[0]);
        }
        ComputeDevice float32 = ComputeDevice.open("cpu", "float32");
        ComputeDevice int8 = ComputeDevice.open("cpu", "auto", "int8");
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.tinyCheckpoint())) {
            assertEquals(MemoryCheck.weightBytes(checkpoint.config(), float32) - saved, MemoryCheck.weightBytes(checkpoint.config(), int8));
        } finally {
            float32.close();
            int8.close();
        }
    }

    @Test
    void weightsThatDoNotFitStopTheLoadWithBothFiguresNamed() {
        Path tiny = Fixtures.tinyCheckpoint();
        long weights;
        ComputeDevice cpu = ComputeDevice.open("cpu", "float32");
        try (Checkpoint checkpoint = Checkpoint.open(tiny)) {
            weights = MemoryCheck.weightBytes(checkpoint.config(), cpu);
            long elements = checkpoint.tensors().values().stream().mapToLong(t -> t.elementCount()).sum();
            assertEquals(4 * elements, weights, "float32 on the CPU: 4 bytes an element, whatever the file holds");
        } finally {
            cpu.close();
        }
        EngineOptions options = EngineOptions.builder().device("cpu").build();
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class,
                () -> LlavaEngine.load(tiny, options, null, () -> OptionalLong.of(weights - 1)));
        assertTrue(e instanceof CheckpointException, "callers that handle unusable checkpoints handle this too");
        assertEquals(weights, e.neededBytes());
        assertEquals(weights - 1, e.availableBytes());
        assertTrue(e.getMessage().startsWith(tiny + ": its weights need"), e.getMessage());
        assertTrue(e.getMessage().contains("as cpu() float32") && e.getMessage().contains("GB of memory available")
                && e.getMessage().contains("check-memory=false"), e.getMessage());

        // enough memory, or the check turned off: it loads
        LlavaEngine.load(tiny, options, null, () -> OptionalLong.of(weights)).close();
        LlavaEngine.load(tiny, EngineOptions.builder().device("cpu").checkMemory(false).build(), null,
                () -> OptionalLong.of(0)).close();
    }
}
