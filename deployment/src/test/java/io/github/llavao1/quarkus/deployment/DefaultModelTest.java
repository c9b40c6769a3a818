package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.langchain4j.LlavaO1ChatModel;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.langchain4j.LlavaO1ReasoningTool;
import io.github.llavao1.langchain4j.LlavaO1StreamingChatModel;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.util.function.BooleanSupplier;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default model: chat, streaming and tool beans over one eagerly loaded engine, configured from
 * {@code quarkus.langchain4j.llava-o1.*}, load progress logged, and the engine closed when the application stops
 * (what frees device memory on every dev-mode restart).
 */
class DefaultModelTest {

    /** Shared through the system properties: the after-undeploy check runs outside the application's class loader. */
    private static final String HANDLE_LOADED = "llava-o1.test.default-handle-loaded";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TinyCheckpoint.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES
                            + "quarkus.langchain4j.llava-o1.reasoning.candidates=2\n"), "application.properties"))
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.github.llavao1.engine"))
            .assertLogRecords(records -> assertFalse(records.isEmpty(), "the engine logs its load progress"))
            .setAfterUndeployListener(() -> {
                BooleanSupplier loaded = (BooleanSupplier) System.getProperties().remove(HANDLE_LOADED);
                assertNotNull(loaded, "the test recorded the engine handle");
                assertFalse(loaded.getAsBoolean(), "the engine is closed when the application stops");
            });

    @Inject
    ChatModel chatModel;

    @Inject
    StreamingChatModel streamingChatModel;

    @Inject
    LlavaO1ReasoningTool tool;

    @Inject
    LlavaO1Engines engines;

    @Test
    void beansAreLlavaModelsSharingOneEagerlyLoadedEngine() {
        LlavaO1ChatModel chat = assertInstanceOf(LlavaO1ChatModel.class, ClientProxy.unwrap(chatModel));
        LlavaO1StreamingChatModel streaming = assertInstanceOf(LlavaO1StreamingChatModel.class,
                ClientProxy.unwrap(streamingChatModel));
        LlavaEngineHandle handle = engines.entries().get("<default>").handle();
        assertSame(handle, chat.engine());
        assertSame(handle, streaming.engine());
        assertTrue(handle.isLoaded(), "load=eager (the default) loads at start-up");
        assertEquals(TinyCheckpoint.DIR, handle.modelPath());
        System.getProperties().put(HANDLE_LOADED, (BooleanSupplier) handle::isLoaded);
        assertNotNull(tool);
    }

    @Test
    void answersWithTheConfiguredSearch() {
        ChatResponse response = chatModel.chat(ChatRequest.builder()
                .messages(TinyCheckpoint.questionAboutSquare()).build());
        ReasoningResult reasoning = assertInstanceOf(LlavaO1ChatResponseMetadata.class, response.metadata()).reasoning();
        assertEquals(ReasoningMode.STAGE_BEAM, reasoning.mode());
        assertEquals(7L, reasoning.seed(), "chat-model.seed");
        assertEquals(reasoning.conclusion(), response.aiMessage().text(), "response-format=conclusion");
        assertFalse(reasoning.steps().isEmpty());
        reasoning.steps().forEach(step -> assertEquals(2, step.candidates().size(), "reasoning.candidates"));
    }
}
