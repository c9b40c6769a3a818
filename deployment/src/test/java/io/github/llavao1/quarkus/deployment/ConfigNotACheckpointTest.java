package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A model-path that is a directory but no checkpoint (no config.json). Start-up fails naming the property. */
class ConfigNotACheckpointTest {

    static final String PATH = Path.of("src/test").toAbsolutePath().toString();

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup("quarkus.langchain4j.llava-o1.model-path=" + PATH + "\n", List.of("quarkus.langchain4j.llava-o1.model-path=" + PATH, "config.json"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
