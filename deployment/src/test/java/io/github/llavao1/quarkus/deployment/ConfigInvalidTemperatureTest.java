package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A negative chat-model temperature: checked at start-up, not by every request. Start-up fails naming the property. */
class ConfigInvalidTemperatureTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES
            + "quarkus.langchain4j.llava-o1.chat-model.temperature=-1\n",
            List.of("quarkus.langchain4j.llava-o1.chat-model.temperature must be a finite number >= 0", "was -1.0"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
