package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.langchain4j.model.chat.ChatModel;
import io.github.llavao1.langchain4j.LlavaO1ChatModel;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With several providers present, {@code quarkus.langchain4j.chat-model.provider=llava-o1} selects this one. */
class ProviderSelectedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, OtherProvider.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES
                    + "quarkus.langchain4j.chat-model.provider=llava-o1\n"
                    + "quarkus.langchain4j.llava-o1.load=lazy\n"), "application.properties"))
            .addBuildChainCustomizer(OtherProvider.candidate());

    @Inject
    ChatModel chatModel;

    @Test
    void llavaO1IsSelected() {
        assertInstanceOf(LlavaO1ChatModel.class, ClientProxy.unwrap(chatModel));
    }
}
