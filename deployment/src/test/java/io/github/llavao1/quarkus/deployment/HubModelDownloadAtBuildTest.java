package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code download-at-build=true}: the build fetches the model into the cache, so start-up finds it there and loads
 * it (eagerly, before the application is up) instead of downloading in the background.
 */
class HubModelDownloadAtBuildTest {

    private static final HubFixtures.SharedHub HUB = HubFixtures.SharedHub.of("llava-o1-build-hub").release();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, ConfigErrors.UsesChatModel.class,
                            HubFixtures.class, HubFixtures.SharedHub.class)
                    .addAsResource(new StringAsset(HUB.properties("quarkus.langchain4j.llava-o1.download-at-build=true")),
                            "application.properties"))
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.github.llavao1"))
            .assertLogRecords(records -> assertTrue(records.stream()
                    .anyMatch(r -> r.getMessage().startsWith("Fetching llava-o1 model")), "the build logs the download"));

    @Inject
    LlavaO1Engines engines;

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Test
    void theModelFetchedByTheBuildIsLoadedAtStartup() {
        LlavaEngineHandle handle = engines.entries().get("<default>").handle();
        assertTrue(handle.isLoaded(), "found in the cache at start-up, so loaded before the application is up");
        assertEquals(HUB.cache().resolve("models--Org--Tiny/snapshots").resolve(HubFixtures.COMMIT), handle.modelPath());
    }
}
