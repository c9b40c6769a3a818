package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code model-id} offline with an empty cache: start-up fails naming the property and the missing files. */
class HubModelOfflineEmptyCacheTest {

    private static final Path EMPTY = Path.of("target/empty-hub-cache").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup("""
            quarkus.langchain4j.llava-o1.model-id=Org/Absent
            quarkus.langchain4j.llava-o1.hub.cache-dir=%s
            quarkus.langchain4j.llava-o1.hub.offline=true
            """.formatted(EMPTY), List.of("quarkus.langchain4j.llava-o1.model-id=Org/Absent@main: Offline mode",
            "missing: config.json, tokenizer.json, preprocessor_config.json, the weights"));

    @Test
    void startupFailsNamingTheMissingFiles() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
