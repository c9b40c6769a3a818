package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No model-path while the integration is enabled. Start-up fails naming the property. */
class ConfigMissingModelPathTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup("", List.of("quarkus.langchain4j.llava-o1.model-path is not set"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
