package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code model-id} not in the cache, {@code load=eager}: the application starts while the model downloads in the
 * background, and readiness reports it (down) until it is loaded.
 */
class HubModelBackgroundDownloadTest {

    private static final Object[] SHARED = HubFixtures.sharedHub("llava-o1-background-hub");
    private static final Path CACHE = Path.of((String) SHARED[3]);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, ConfigErrors.UsesChatModel.class, HubFixtures.class)
                    .addAsResource(new StringAsset("""
                            quarkus.langchain4j.llava-o1.model-id=%s
                            quarkus.langchain4j.llava-o1.revision=%s
                            quarkus.langchain4j.llava-o1.hub.cache-dir=%s
                            quarkus.langchain4j.llava-o1.hub.endpoint=%s
                            quarkus.langchain4j.llava-o1.device=cpu
                            """.formatted(HubFixtures.ID, "main", CACHE, SHARED[0])), "application.properties"));

    @Inject
    LlavaO1Engines engines;

    @AfterAll
    static void stopHub() {
        ((Runnable) SHARED[2]).run();
    }

    @Test
    void readinessIsDownUntilTheDownloadedModelIsLoaded() throws Exception {
        LlavaEngineHandle handle = engines.entries().get("<default>").handle();
        assertFalse(handle.isLoaded(), "start-up does not wait for the download");
        // what readiness reports (down while an eager model is not loaded)
        String state = engines.state("<default>");
        assertTrue(state.equals("not loaded yet (Org/Tiny@main)") || state.startsWith("downloading"), state);

        ((Runnable) SHARED[1]).run();
        for (int i = 0; i < 600 && !handle.isLoaded() && engines.failure("<default>") == null; i++) {
            Thread.sleep(100);
        }
        assertNull(engines.failure("<default>"));
        assertTrue(handle.isLoaded(), "the model is loaded once downloaded");
        assertEquals("loaded", engines.state("<default>"));
        assertTrue(Files.isSymbolicLink(CACHE.resolve("models--Org--Tiny/snapshots").resolve(HubFixtures.COMMIT)
                .resolve("model-00001-of-00002.safetensors")));
    }
}
