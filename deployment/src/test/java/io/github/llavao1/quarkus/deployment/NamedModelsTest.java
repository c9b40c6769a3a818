package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.github.llavao1.langchain4j.LlavaO1ChatModel;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.langchain4j.LlavaO1StreamingChatModel;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A named model beside the default one: {@code @ModelName} beans configured from
 * {@code quarkus.langchain4j.llava-o1."fast".*}, with their own engine, loaded lazily.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamedModelsTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TinyCheckpoint.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES + """
                            quarkus.langchain4j.fast.chat-model.provider=llava-o1
                            quarkus.langchain4j.llava-o1.fast.model-path=%s
                            quarkus.langchain4j.llava-o1.fast.load=lazy
                            quarkus.langchain4j.llava-o1.fast.chat-model.seed=11
                            quarkus.langchain4j.llava-o1.fast.chat-model.response-format=staged
                            quarkus.langchain4j.llava-o1.fast.reasoning.mode=plain
                            quarkus.langchain4j.llava-o1.fast.reasoning.max-tokens=5
                            quarkus.langchain4j.llava-o1.fast.check-memory=false
                            quarkus.langchain4j.llava-o1.fast.quantization=int8
                            """.formatted(TinyCheckpoint.DIR)), "application.properties"));

    @Inject
    ChatModel defaultModel;

    @Inject
    @ModelName("fast")
    ChatModel fastModel;

    @Inject
    @ModelName("fast")
    StreamingChatModel fastStreamingModel;

    @Inject
    LlavaO1Engines engines;

    @Test
    @Order(1)
    void namedBeansHaveTheirOwnLazilyLoadedEngine() {
        LlavaO1ChatModel fast = assertInstanceOf(LlavaO1ChatModel.class, ClientProxy.unwrap(fastModel));
        LlavaO1ChatModel standard = assertInstanceOf(LlavaO1ChatModel.class, ClientProxy.unwrap(defaultModel));
        LlavaO1StreamingChatModel fastStreaming = assertInstanceOf(LlavaO1StreamingChatModel.class,
                ClientProxy.unwrap(fastStreamingModel));
        assertSame(engines.entries().get("fast").handle(), fast.engine());
        assertSame(fast.engine(), fastStreaming.engine());
        assertNotSame(standard.engine(), fast.engine());
        assertTrue(standard.engine().isLoaded(), "default model: load=eager");
        assertFalse(engines.entries().get("fast").eager());
        assertFalse(fast.engine().isLoaded(), "load=lazy: nothing loaded before the first request");
    }

    @Test
    @Order(2)
    void namedModelAnswersWithItsOwnSettings() {
        var response = fastModel.chat(ChatRequest.builder().messages(TinyCheckpoint.questionAboutSquare()).build());
        ReasoningResult reasoning = assertInstanceOf(LlavaO1ChatResponseMetadata.class, response.metadata()).reasoning();
        assertEquals(ReasoningMode.PLAIN, reasoning.mode());
        assertEquals(11L, reasoning.seed());
        assertTrue(engines.entries().get("fast").handle().isLoaded(), "the first request loaded it");
        assertEquals(reasoning.answer(), response.aiMessage().text(), "response-format=staged");
        assertFalse(engines.entries().get("fast").handle().get().options().checkMemory(), "check-memory=false");
        assertTrue(engines.entries().get("<default>").handle().get().options().checkMemory(), "on by default");
        assertEquals("int8", engines.entries().get("fast").handle().get().options().quantization());
        assertEquals("cpu() float32 int8", engines.entries().get("fast").handle().get().deviceDescription());
        assertEquals("none", engines.entries().get("<default>").handle().get().options().quantization(), "none by default");
    }
}
