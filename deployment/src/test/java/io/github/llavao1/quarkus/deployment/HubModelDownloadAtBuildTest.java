package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code download-at-build=true}: the build fetches the model into the cache, so start-up finds it there and loads
 * it (eagerly, before the application is up) instead of downloading in the background.
 */
class HubModelDownloadAtBuildTest {

    private static final Object[] SHARED = release(HubFixtures.sharedHub("llava-o1-build-hub"));
    private static final Path CACHE = Path.of((String) SHARED[3]);

    private static Object[] release(Object[] hub) {
        ((Runnable) hub[1]).run();
        return hub;
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, ConfigErrors.UsesChatModel.class,
                            HubFixtures.class)
                    .addAsResource(new StringAsset("""
                            quarkus.langchain4j.llava-o1.download-at-build=true
                            quarkus.langchain4j.llava-o1.model-id=%s
                            quarkus.langchain4j.llava-o1.hub.cache-dir=%s
                            quarkus.langchain4j.llava-o1.hub.endpoint=%s
                            quarkus.langchain4j.llava-o1.device=cpu
                            """.formatted(HubFixtures.ID, CACHE, SHARED[0])), "application.properties"))
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.github.llavao1"))
            .assertLogRecords(records -> assertTrue(records.stream()
                    .anyMatch(r -> r.getMessage().startsWith("Fetching llava-o1 model")), "the build logs the download"));

    @Inject
    LlavaO1Engines engines;

    @AfterAll
    static void stopHub() {
        ((Runnable) SHARED[2]).run();
    }

    @Test
    void theModelFetchedByTheBuildIsLoadedAtStartup() {
        LlavaEngineHandle handle = engines.entries().get("<default>").handle();
        assertTrue(handle.isLoaded(), "found in the cache at start-up, so loaded before the application is up");
        assertEquals(CACHE.resolve("models--Org--Tiny/snapshots").resolve(HubFixtures.COMMIT), handle.modelPath());
    }
}
