package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model named {@code reasoning}: its keys {@code quarkus.langchain4j.llava-o1.reasoning.*} are also the default
 * model's reasoning group, so the name is refused at build time, naming the clash.
 */
class ConfigReservedModelNameTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(UsesReasoningModel.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES + """
                    quarkus.langchain4j.reasoning.chat-model.provider=llava-o1
                    quarkus.langchain4j.llava-o1.reasoning.model-path=%s
                    """.formatted(TinyCheckpoint.DIR)), "application.properties"))
            .assertException(e -> {
                String message = e.getMessage() + (e.getCause() == null ? "" : e.getCause().getMessage());
                assertTrue(message.contains("llava-o1 model name 'reasoning' is also a configuration group"), message);
                assertTrue(message.contains("quarkus.langchain4j.llava-o1.reasoning.*"), message);
            });

    @ApplicationScoped
    static class UsesReasoningModel {
        @Inject
        @ModelName("reasoning")
        ChatModel model;
    }

    @Test
    void buildFailsNamingTheClash() {
        // assertException above checks the failure; this method only makes JUnit build the application.
    }
}
