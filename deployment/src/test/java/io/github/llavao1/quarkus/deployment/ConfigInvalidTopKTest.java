package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * chat-model.top-k=0, which would mean no cut as if unset: checked at start-up, not by every request. Start-up
 * fails naming the property.
 */
class ConfigInvalidTopKTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES
            + "quarkus.langchain4j.llava-o1.chat-model.top-k=0\n",
            List.of("quarkus.langchain4j.llava-o1.chat-model.top-k must be at least 1, was 0"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
