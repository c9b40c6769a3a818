package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A model-path that does not exist. Start-up fails naming the property. */
class ConfigNonexistentModelPathTest {

    static final String PATH = Path.of("target/no-such-checkpoint").toAbsolutePath().toString();

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup("quarkus.langchain4j.llava-o1.model-path=" + PATH + "\n", List.of("quarkus.langchain4j.llava-o1.model-path=" + PATH, "no such directory"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
