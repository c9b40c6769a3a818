package io.github.llavao1.quarkus.deployment;

import io.github.llavao1.hub.FakeHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The tiny checkpoint as a Hugging Face Hub model: in a cache written as huggingface-cli writes it, or on the FakeHub. */
final class HubFixtures {

    static final String ID = "Org/Tiny";
    static final String COMMIT = "00112233445566778899aabbccddeeff00112233";
    static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors.index.json",
            "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "preprocessor_config.json",
            "tokenizer.json");

    private HubFixtures() {
    }

    /**
     * {@code cache}, made to hold the tiny checkpoint in huggingface_hub's layout unless it does already (test classes
     * are initialised twice, by JUnit and by the application, and must agree on the folder).
     */
    static Path cliCache(Path cache) {
        try {
            if (!Files.isDirectory(cache.resolve("models--Org--Tiny/snapshots").resolve(COMMIT))) {
                FakeHub.writeCliCache(cache, ID, COMMIT, TinyCheckpoint.DIR, FILES);
            }
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One {@link FakeHub} per key, serving the tiny checkpoint with its weights held until {@link #release()}, and a
     * cache folder of its own. A test class is initialised by JUnit and again by the application's class loader, and
     * both must see the same Hub and folder, so the state lives in the system properties as JDK types only (this
     * class itself exists once per loader); this class is the one place that reads it.
     */
    static final class SharedHub {
        private final String endpoint;
        private final Runnable release;
        private final Runnable close;
        private final Path cache;

        private SharedHub(Object[] shared) {
            this.endpoint = (String) shared[0];
            this.release = (Runnable) shared[1];
            this.close = (Runnable) shared[2];
            this.cache = Path.of((String) shared[3]);
        }

        static SharedHub of(String key) {
            synchronized (System.getProperties()) {
                Object[] shared = (Object[]) System.getProperties().get(key);
                if (shared == null) {
                    FakeHub hub = start();
                    hub.holdWeights();
                    Runnable release = hub::releaseWeights;
                    Runnable close = hub::close;
                    String cache = Path.of("target/" + key + "-" + System.nanoTime()).toAbsolutePath().toString();
                    shared = new Object[] {hub.endpoint().toString(), release, close, cache};
                    System.getProperties().put(key, shared);
                }
                return new SharedHub(shared);
            }
        }

        /** Lets the Hub serve the weights (until then their download waits). */
        SharedHub release() {
            release.run();
            return this;
        }

        void close() {
            close.run();
        }

        Path cache() {
            return cache;
        }

        /** The application properties that fetch {@link #ID} from this Hub into {@link #cache()}, on the CPU. */
        String properties(String... more) {
            return String.join("\n", more) + """

                    quarkus.langchain4j.llava-o1.model-id=%s
                    quarkus.langchain4j.llava-o1.hub.cache-dir=%s
                    quarkus.langchain4j.llava-o1.hub.endpoint=%s
                    quarkus.langchain4j.llava-o1.device=cpu
                    """.formatted(ID, cache, endpoint);
        }
    }

    private static FakeHub start() {
        try {
            return new FakeHub(TinyCheckpoint.DIR, ID, COMMIT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
