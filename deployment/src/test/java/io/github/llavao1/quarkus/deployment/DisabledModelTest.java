package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.ModelDisabledException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.DisabledChatModel;
import dev.langchain4j.model.chat.DisabledStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code enable-integration=false}: disabled models, no checkpoint needed (none configured), nothing loaded. */
class DisabledModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset(
                    "quarkus.langchain4j.llava-o1.enable-integration=false\n"), "application.properties"));

    @Inject
    ChatModel chatModel;

    @Inject
    StreamingChatModel streamingChatModel;

    @Inject
    LlavaO1Engines engines;

    @Test
    void modelsAreDisabled() {
        assertInstanceOf(DisabledChatModel.class, ClientProxy.unwrap(chatModel));
        assertInstanceOf(DisabledStreamingChatModel.class, ClientProxy.unwrap(streamingChatModel));
        assertThrows(ModelDisabledException.class, () -> chatModel.chat("hello"));
        assertTrue(engines.entries().isEmpty(), "a disabled model opens no engine");
    }
}
