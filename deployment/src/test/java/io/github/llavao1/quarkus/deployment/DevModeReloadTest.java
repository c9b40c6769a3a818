package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.QuarkusDevModeTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Level;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dev mode ({@code quarkus:dev}): editing application.properties restarts the application, the old engine is closed
 * (its device memory freed) before the new one loads, and the new engine runs with the edited settings.
 */
class DevModeReloadTest {

    /** Fixed (dev mode serves on quarkus.http.port); loopback only. */
    private static final int PORT = 18471;

    @RegisterExtension
    static final QuarkusDevModeTest app = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(DevModeProbe.class, TinyCheckpoint.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES
                            + "quarkus.http.host=127.0.0.1\nquarkus.http.port=" + PORT + "\n"), "application.properties"))
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.github.llavao1")
                    && r.getLevel().intValue() >= Level.WARNING.intValue());

    @AfterAll
    static void forgetEngines() {
        System.getProperties().remove(DevModeProbe.CURRENT_ENGINE);
        System.getProperties().remove(DevModeProbe.PREVIOUS_ENGINE);
    }

    @Test
    void editingTheConfigurationReloadsTheEngineAndClosesTheOldOne() throws Exception {
        assertEquals("seed=7 loaded=true previous=none", probe());

        app.modifyResourceFile("application.properties",
                properties -> properties.replace("chat-model.seed=7", "chat-model.seed=8"));

        assertEquals("seed=8 loaded=true previous=closed", probe(), "restarted with the edited seed, old engine closed");
        assertEquals(0, app.getLogRecords().size(), () -> "no warning from the extension while reloading: "
                + app.getLogRecords().stream().map(r -> r.getLevel() + " " + r.getMessage()).toList());
    }

    private static String probe() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/probe"))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }
}
