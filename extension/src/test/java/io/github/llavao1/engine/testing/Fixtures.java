package io.github.llavao1.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The golden data from HuggingFace transformers copied into test resources (see FIXTURES.md there), and the tiny
 * checkpoint they come from; the other modules get them through this module's test-jar.
 */
public final class Fixtures {

    public static final String[] CASES = {"text", "square", "wide", "two_images", "rgba"};
    public static final String[] IMAGE_CASES = {"square", "wide", "two_images", "rgba"};

    private static final String EXTRACTED_PROPERTY = "io.github.llavao1.test-fixtures";
    private static final String CONSTRUCTED_PROPERTY = "io.github.llavao1.test-constructed-checkpoint";

    private static JsonNode reference;

    private Fixtures() {
    }

    /**
     * A test resource as a file: in this module's tests the resource itself; in other modules, which get the fixtures
     * from this module's test-jar, a copy (see {@link #extractedFixtures}).
     */
    public static Path resource(String name) {
        URL url = Fixtures.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource missing: " + name);
        }
        try {
            if (url.getProtocol().equals("jar")) {
                return extractedFixtures(((JarURLConnection) url.openConnection()).getJarFileURL()).resolve(name);
            }
            return Path.of(url.toURI());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + name + " at " + url, e);
        }
    }

    /**
     * The resources of the fixtures' test-jar, written once per JVM into a temporary folder deleted at exit: resources
     * inside a jar are not files, and the engine reads checkpoints from folders. The folder is kept in a system
     * property, not a field: Quarkus tests load this class again in each application's class loader, and every
     * copy must name the same folder (the tests compare model paths).
     */
    private static Path extractedFixtures(URL jar) throws IOException {
        synchronized (System.getProperties()) {
            String extracted = System.getProperty(EXTRACTED_PROPERTY);
            if (extracted != null) {
                return Path.of(extracted);
            }
            Path root = Files.createTempDirectory("llava-o1-fixtures");
            try (JarFile file = new JarFile(Path.of(jar.toURI()).toFile())) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    String name = entry.getName();
                    if (entry.isDirectory() || name.endsWith(".class") || name.startsWith("META-INF/")) {
                        continue;
                    }
                    Path target = root.resolve(name);
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            } catch (URISyntaxException e) {
                throw new IllegalStateException("fixtures jar " + jar, e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "delete-test-fixtures"));
            System.setProperty(EXTRACTED_PROPERTY, root.toString());
            return root;
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    /**
     * The tiny random Mllama checkpoint in the published file layout, for tests that hold for any weights. Under
     * {@code -Pperturbed} ({@link Perturbation}) a copy whose weights are perturbed, so that a test leaning on exact
     * floats shows itself; tests that compare with transformers' golden data use {@link #goldenCheckpoint()}.
     */
    public static Path tinyCheckpoint() {
        return Perturbation.apply(goldenCheckpoint(), "tiny-mllama-a");
    }

    /**
     * The tiny random checkpoint exactly as transformers wrote its golden data (reference.json, reference.safetensors):
     * never perturbed, for the tests that are exact by design (FIXTURES.md lists them and why).
     */
    public static Path goldenCheckpoint() {
        return resource("tiny-mllama-a");
    }

    /**
     * The checkpoint whose text behaviour is fixed by construction ({@link ConstructedCheckpoint}), written once per
     * JVM into a temporary folder (perturbed under {@code -Pperturbed} like the random one). Its folder is kept in a
     * system property, as the extracted fixtures are, so every Quarkus application class loader sees the same one.
     */
    public static Path constructedCheckpoint() {
        synchronized (System.getProperties()) {
            String written = System.getProperty(CONSTRUCTED_PROPERTY);
            if (written == null) {
                try {
                    Path root = Files.createTempDirectory("llava-o1-constructed");
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "delete-constructed-checkpoint"));
                    Path dir = ConstructedCheckpoint.write(goldenCheckpoint(), root.resolve("constructed-mllama"));
                    written = Perturbation.apply(dir, "constructed-mllama").toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.setProperty(CONSTRUCTED_PROPERTY, written);
            }
            return Path.of(written);
        }
    }

    public static Path config(String name) {
        return resource("configs/" + name);
    }

    /** reference.safetensors: per case input ids, pixel values, masks, vision output, cross-attention states, logits. */
    public static SafetensorsFile referenceTensors() {
        return SafetensorsFile.open(goldenCheckpoint().resolve("reference.safetensors"));
    }

    /** reference.json: per case the prompt, images, input ids and the 24 greedy ids. */
    public static synchronized JsonNode referenceJson() {
        if (reference == null) {
            try {
                reference = new ObjectMapper().readTree(goldenCheckpoint().resolve("reference.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return reference;
    }

    public static JsonNode referenceCase(String name) {
        return referenceJson().get("cases").get(name);
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Largest absolute difference between two equally long arrays. */
    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
