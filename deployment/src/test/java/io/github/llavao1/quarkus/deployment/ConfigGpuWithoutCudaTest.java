package io.github.llavao1.quarkus.deployment;

import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A GPU this machine does not have, on a lazy model: start-up fails naming the property, instead of the first
 * request failing while readiness stays up. {@code gpu:99}, so that the test holds on GPU machines too.
 */
class ConfigGpuWithoutCudaTest {

    @RegisterExtension
    static final QuarkusUnitTest app = ConfigErrors.failingStartup(TinyCheckpoint.PROPERTIES + """
            quarkus.langchain4j.llava-o1.load=lazy
            quarkus.langchain4j.llava-o1.device=gpu:99
            """, List.of("quarkus.langchain4j.llava-o1.device=gpu:99", "device gpu:99 requested but PyTorch sees"));

    @Test
    void startupFailsNamingTheProperty() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
