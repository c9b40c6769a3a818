package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lazy model whose checkpoint passes the start-up check but cannot be loaded (its tokenizer.json is not a
 * tokenizer): the first request fails, and from then on readiness is DOWN with the reason.
 */
class LazyLoadFailureReadinessTest {

    private static final Path BROKEN = brokenCopy();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TinyCheckpoint.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES.replace(TinyCheckpoint.DIR.toString(),
                            BROKEN.toString()) + "quarkus.langchain4j.llava-o1.load=lazy\n"), "application.properties"));

    @Inject
    ChatModel model;

    @Inject
    @Readiness
    HealthCheck readiness;

    @Test
    void aFailedLoadTurnsReadinessDownWithTheReason() {
        HealthCheckResponse before = readiness.call();
        assertEquals(HealthCheckResponse.Status.UP, before.getStatus(), "lazy, not loaded yet: " + before.getData());

        ChatRequest request = ChatRequest.builder().messages(TinyCheckpoint.questionAboutSquare()).build();
        RuntimeException failure = assertThrows(RuntimeException.class, () -> model.chat(request));

        HealthCheckResponse after = readiness.call();
        assertEquals(HealthCheckResponse.Status.DOWN, after.getStatus());
        String reason = String.valueOf(after.getData().orElseThrow().get("<default>"));
        assertTrue(reason.startsWith("load failed: ") && reason.contains(failure.getMessage()), reason);
    }

    private static Path brokenCopy() {
        try {
            Path dir = Files.createTempDirectory("llava-o1-broken-tokenizer");
            dir.toFile().deleteOnExit(); // registered first, so deleted last
            try (Stream<Path> files = Files.list(TinyCheckpoint.DIR)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path copy = Files.copy(file, dir.resolve(file.getFileName()));
                    copy.toFile().deleteOnExit();
                }
            }
            Files.writeString(dir.resolve("tokenizer.json"), "not a tokenizer");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
