package io.github.llavao1.engine.testing;

import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.checkpoint.SafetensorsWriter;
import io.github.llavao1.engine.checkpoint.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ./mvnw verify -Pperturbed}: every test's checkpoint weights multiplied element by element by (1 + ε·u), u
 * uniform in [-1, 1) from a hash of the tensor name and index, and libtorch on another intra-op thread count (the
 * profile sets {@code ai.djl.pytorch.num_threads}). A test that passes only because random weights happen to write
 * something, or because one CPU's kernels round a certain way, fails under it; a test that holds for any weights, or
 * runs on {@link ConstructedCheckpoint}, passes. ε comes from the system property {@value #PROPERTY} (the profile
 * sets 1e-4); without it nothing is perturbed.
 */
public final class Perturbation {

    public static final String PROPERTY = "llava-o1.test.perturbation";
    private static final String FOLDERS_PROPERTY = "io.github.llavao1.test-perturbed.";

    private Perturbation() {
    }

    /** The relative amount, or 0 when the tests run unperturbed. */
    public static double epsilon() {
        String value = System.getProperty(PROPERTY, "").trim();
        return value.isEmpty() ? 0 : Double.parseDouble(value);
    }

    /**
     * {@code checkpoint} itself when nothing is perturbed, else a perturbed copy made once per JVM (its folder kept in
     * a system property under {@code name}, so that every class loader of a Quarkus test sees the same one).
     */
    static Path apply(Path checkpoint, String name) {
        double epsilon = epsilon();
        if (epsilon == 0) {
            return checkpoint;
        }
        synchronized (System.getProperties()) {
            String copy = System.getProperty(FOLDERS_PROPERTY + name);
            if (copy == null) {
                try {
                    Path root = Files.createTempDirectory("llava-o1-perturbed");
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> Fixtures.deleteTree(root), "delete-perturbed"));
                    Path dir = root.resolve(checkpoint.getFileName().toString());
                    copy(checkpoint, dir, epsilon);
                    copy = dir.toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.setProperty(FOLDERS_PROPERTY + name, copy);
            }
            return Path.of(copy);
        }
    }

    private static void copy(Path from, Path to, double epsilon) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (Files.isDirectory(file)) {
                    continue;
                }
                if (name.endsWith(".safetensors") && !name.startsWith("reference")) {
                    perturb(file, to.resolve(name), epsilon);
                } else {
                    Files.copy(file, to.resolve(name));
                }
            }
        }
    }

    private static void perturb(Path from, Path to, double epsilon) {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile file = SafetensorsFile.open(from)) {
            for (Map.Entry<String, TensorInfo> entry : file.tensors().entrySet()) {
                TensorInfo tensor = entry.getValue();
                float[] values = file.readFloats(tensor);
                long key = entry.getKey().hashCode() * 0x9E3779B97F4A7C15L;
                for (int i = 0; i < values.length; i++) {
                    double u = (mix(key + i) >>> 11) * 0x1p-53 * 2 - 1;
                    values[i] = (float) (values[i] * (1 + epsilon * u));
                }
                writer.add(entry.getKey(), tensor.dtype(), tensor.shape(), values);
            }
        }
        writer.write(to);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
