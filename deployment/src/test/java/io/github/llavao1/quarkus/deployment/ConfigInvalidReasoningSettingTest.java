package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A reasoning setting the search rejects. Start-up fails naming the property. */
class ConfigInvalidReasoningSettingTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES + "quarkus.langchain4j.llava-o1.reasoning.candidates=0\n", List.of("quarkus.langchain4j.llava-o1.reasoning.candidates", "candidates must be between 1 and 64"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
