package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A named model with a device the engine does not know. Start-up fails naming the property. */
class ConfigInvalidNamedModelDeviceTest {

    static final String NAMED = """
            quarkus.langchain4j.vision.chat-model.provider=llava-o1
            quarkus.langchain4j.llava-o1.vision.model-path=%s
            quarkus.langchain4j.llava-o1.vision.device=tpu
            """.formatted(TinyCheckpoint.DIR);

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES + NAMED, List.of("quarkus.langchain4j.llava-o1.\"vision\".device", "device must be auto, cpu, gpu or gpu:N, got 'tpu'"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
