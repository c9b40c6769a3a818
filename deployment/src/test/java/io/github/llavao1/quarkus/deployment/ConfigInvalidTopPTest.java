package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A chat-model top-p above 1: checked at start-up, not by every request. Start-up fails naming the property. */
class ConfigInvalidTopPTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES
            + "quarkus.langchain4j.llava-o1.chat-model.top-p=1.5\n",
            List.of("quarkus.langchain4j.llava-o1.chat-model.top-p must be in (0, 1], was 1.5"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
