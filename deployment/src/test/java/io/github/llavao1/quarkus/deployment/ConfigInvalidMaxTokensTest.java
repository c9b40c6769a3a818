package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** chat-model.max-tokens=0: checked at start-up, not by every request. Start-up fails naming the property. */
class ConfigInvalidMaxTokensTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES
            + "quarkus.langchain4j.llava-o1.chat-model.max-tokens=0\n",
            List.of("quarkus.langchain4j.llava-o1.chat-model.max-tokens must be at least 4", "was 0"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
