package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With several providers present and none chosen, the build fails and tells how to choose. */
class ProviderAmbiguousTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(ConfigErrors.UsesChatModel.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES), "application.properties"))
            .addBuildChainCustomizer(OtherProvider.candidate())
            .assertException(e -> {
                String message = String.valueOf(e.getMessage()) + e.getCause();
                assertTrue(message.contains("quarkus.langchain4j.chat-model.provider"), message);
            });

    @Inject
    ChatModel unused;

    @Test
    void buildFails() {
        // assertException above checks the failure; this method only makes JUnit start the application.
    }
}
