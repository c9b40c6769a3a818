package io.github.llavao1.engine;

import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.checkpoint.WeightSpec;
import io.github.llavao1.engine.config.TextConfig;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.model.ComputeDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the weights are copied to the CPU: whether they fit in the memory this process may still use. Without the
 * check a model too large for the machine (the 11B checkpoint in float32 needs ~43 GB) fills the memory for minutes
 * and then the kernel's out-of-memory killer ends the JVM, with no exception and no message. With it, loading fails
 * at once with an {@link InsufficientMemoryException} that says what is needed and what is there. The bench runs the
 * same check before it writes random weights of a shape.
 *
 * <p>What is there: Linux's {@code MemAvailable} ({@code /proc/meminfo}: free memory plus what the kernel can
 * reclaim, swap not counted), lowered to what the process's cgroup still allows (a container's memory limit minus
 * its usage, cgroup v2 or v1). Elsewhere nothing is known and nothing is checked. GPU memory is not checked here:
 * libtorch reports a CUDA allocation that fails as an exception, which loading passes on.
 */
public final class MemoryCheck {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryCheck.class);
    /** Above this share of the available memory the weights leave little for KV caches and images: a warning. */
    static final double WARN_FRACTION = 0.8;
    /** How an engine's check is turned off, for the message. */
    static final String ENGINE_SETTING = "EngineOptions checkMemory(false), Quarkus check-memory=false";

    private MemoryCheck() {
    }

    /**
     * The bytes the model's weights take on {@code device}: every tensor the config implies in the compute dtype,
     * except the text decoder's quantizable linear maps (and the LM head) when the device quantizes them, which take
     * their quantized size (int8: a byte a weight and a float32 scale a row).
     */
    static long weightBytes(MllamaConfig config, ComputeDevice device) {
        Set<String> quantizable = quantizableTensors(config.text());
        long bytes = 0;
        for (WeightSpec spec : WeightNames.expectedTensors(config)) {
            long[] shape = spec.shape();
            bytes += quantizable.contains(spec.name())
                    ? device.linearBytes(shape[0], shape[1], true)
                    : spec.elementCount() * device.elementBytes();
        }
        return bytes;
    }

    /** The names of the tensors that the text decoder stores quantized when quantization is on. */
    private static Set<String> quantizableTensors(TextConfig text) {
        Set<String> names = new HashSet<>();
        names.add(WeightNames.lmHead());
        for (int i = 0; i < text.numHiddenLayers(); i++) {
            String prefix = WeightNames.textLayer(i);
            for (LayerWeights.Entry<TextConfig> entry : LayerWeights.decoderLayer(text.isCrossAttentionLayer(i))) {
                if (!entry.isGate() && entry.isQuantizable()) {
                    for (LayerWeights.Tensor<TextConfig> tensor : entry.tensors()) {
                        names.add(tensor.name(prefix));
                    }
                }
            }
        }
        return names;
    }

    /**
     * On the CPU, whether the weights of {@code config} fit in {@code available} memory (read only then); on a GPU
     * nothing is checked.
     *
     * @param what      the checkpoint folder, for the message
     * @param howToSkip the setting that turns the check off, for the message
     * @throws InsufficientMemoryException when they do not fit
     */
    public static void check(Path what, MllamaConfig config, ComputeDevice device, Supplier<OptionalLong> available,
                             String howToSkip) {
        if (!device.isGpu()) {
            check(what, device.toString(), weightBytes(config, device), available.get(), howToSkip);
        }
    }

    /**
     * Throws when {@code needed} bytes exceed {@code available} (when it is known), warns when they take most of it.
     *
     * @param what    the checkpoint folder, for the message
     * @param target  the device and dtype, e.g. "cpu() float32", for the message
     * @param howToSkip the setting that turns the check off, for the message
     */
    static void check(Path what, String target, long needed, OptionalLong available, String howToSkip) {
        if (available.isEmpty()) {
            LOG.debug("{}: available memory unknown on this system; not checked", what);
            return;
        }
        long free = available.getAsLong();
        if (needed > free) {
            throw new InsufficientMemoryException(String.format(
                    "%s: its weights need %.1f GB as %s, but this process has only %.1f GB of memory available"
                            + " (MemAvailable, within any cgroup limit); use quantization int8 (about a quarter of float32),"
                            + " a GPU (dtype float16 halves it, README.md section GPU), a machine with more memory, or"
                            + " turn the check off (%s) to try anyway",
                    what, needed / 1e9, target, free / 1e9, howToSkip), needed, free);
        }
        if (needed > WARN_FRACTION * free) {
            LOG.warn("{}: its weights take {} of the {} GB available ({} GB as {}); little is left for KV caches"
                    + " and images", what, String.format("%.0f%%", 100.0 * needed / free), String.format("%.1f", free / 1e9),
                    String.format("%.1f", needed / 1e9), target);
        }
    }

    /** This process's available memory on Linux (see the class comment); empty elsewhere. */
    public static OptionalLong available() {
        return available(Path.of("/proc/meminfo"), Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
    }

    static OptionalLong available(Path meminfo, Path selfCgroup, Path cgroupRoot) {
        OptionalLong memAvailable = memAvailable(meminfo);
        if (memAvailable.isEmpty()) {
            return OptionalLong.empty();
        }
        long available = memAvailable.getAsLong();
        OptionalLong cgroup = cgroupHeadroom(selfCgroup, cgroupRoot);
        return OptionalLong.of(cgroup.isPresent() ? Math.min(available, cgroup.getAsLong()) : available);
    }

    /** {@code MemAvailable:  123456 kB} in bytes. */
    static OptionalLong memAvailable(Path meminfo) {
        for (String line : lines(meminfo)) {
            if (line.startsWith("MemAvailable:")) {
                String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]) * (parts.length > 1 && parts[1].equals("kB") ? 1024 : 1));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The limit minus the usage of the process's memory cgroup: cgroup v2 ({@code 0::/path}: memory.max and
     * memory.current) or v1 (the {@code memory} controller: memory.limit_in_bytes and memory.usage_in_bytes); empty
     * when there is no limit ("max", or v1's huge default) or nothing can be read.
     */
    static OptionalLong cgroupHeadroom(Path selfCgroup, Path cgroupRoot) {
        for (String line : lines(selfCgroup)) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            String path = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                OptionalLong headroom = headroom(cgroupRoot.resolve(path), "memory.max", "memory.current");
                if (headroom.isPresent()) {
                    return headroom;
                }
            } else if (List.of(parts[1].split(",")).contains("memory")) {
                return headroom(cgroupRoot.resolve("memory").resolve(path), "memory.limit_in_bytes",
                        "memory.usage_in_bytes");
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong headroom(Path dir, String limitFile, String usageFile) {
        OptionalLong limit = number(dir.resolve(limitFile));
        OptionalLong usage = number(dir.resolve(usageFile));
        // v1 reports "no limit" as a number near Long.MAX_VALUE rounded to pages
        if (limit.isEmpty() || usage.isEmpty() || limit.getAsLong() >= Long.MAX_VALUE / 2) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, limit.getAsLong() - usage.getAsLong()));
    }

    private static OptionalLong number(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // "max": no limit
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isReadable(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
