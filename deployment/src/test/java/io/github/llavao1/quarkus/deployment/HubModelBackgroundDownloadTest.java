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
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code model-id} not in the cache, {@code load=eager}: the application starts while the model downloads in the
 * background, and readiness reports it (down) until it is loaded.
 */
class HubModelBackgroundDownloadTest {

    private static final HubFixtures.SharedHub HUB = HubFixtures.SharedHub.of("llava-o1-background-hub");

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, ConfigErrors.UsesChatModel.class, HubFixtures.class,
                            HubFixtures.SharedHub.class)
                    .addAsResource(new StringAsset(HUB.properties("quarkus.langchain4j.llava-o1.revision=main")),
                            "application.properties"));

    @Inject
    LlavaO1Engines engines;

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Test
    void readinessIsDownUntilTheDownloadedModelIsLoaded() throws Exception {
        LlavaEngineHandle handle = engines.entries().get("<default>").handle();
        assertFalse(handle.isLoaded(), "start-up does not wait for the download");
        // what readiness reports (down while an eager model is not loaded)
        String state = engines.state("<default>");
        assertTrue(state.equals("not loaded yet (Org/Tiny@main)") || state.startsWith("downloading"), state);

        HUB.release();
        for (int i = 0; i < 600 && !handle.isLoaded() && engines.failure("<default>") == null; i++) {
            Thread.sleep(100);
        }
        assertNull(engines.failure("<default>"));
        assertTrue(handle.isLoaded(), "the model is loaded once downloaded");
        assertEquals("loaded", engines.state("<default>"));
        assertTrue(Files.isSymbolicLink(HUB.cache().resolve("models--Org--Tiny/snapshots").resolve(HubFixtures.COMMIT)
                .resolve("model-00001-of-00002.safetensors")));
    }
}
