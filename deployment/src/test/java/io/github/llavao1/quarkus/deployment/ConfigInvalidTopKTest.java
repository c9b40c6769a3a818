package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * chat-model.top-k=-1: checked at start-up, not by every request (0 turns the cut off and is valid). Start-up
 * fails naming the property.
 */
class ConfigInvalidTopKTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES
            + "quarkus.langchain4j.llava-o1.chat-model.top-k=-1\n",
            List.of("quarkus.langchain4j.llava-o1.chat-model.top-k must be >= 0 (0 = off), was -1"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
