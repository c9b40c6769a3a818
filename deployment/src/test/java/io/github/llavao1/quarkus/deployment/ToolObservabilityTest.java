package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.langchain4j.LlavaO1ReasoningTool;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reasoning tool's work reaches the application's {@link ChatModelListener}s (what quarkus-langchain4j's
 * {@code gen_ai_*} metrics and completion spans, and this extension's {@code llava_o1_*} metrics, are built on),
 * under the configured {@code model-name}.
 */
class ToolObservabilityTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, RecordingListener.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES + """
                            quarkus.langchain4j.llava-o1.model-name=tiny-llava
                            quarkus.langchain4j.llava-o1.image.allowed-roots=%s
                            """.formatted(TinyCheckpoint.DIR)), "application.properties"));

    /** A {@code @Singleton}, so the test reads the instance's own list rather than a client proxy's field. */
    @Singleton
    static class RecordingListener implements ChatModelListener {
        final List<Object> events = new CopyOnWriteArrayList<>();

        @Override
        public void onRequest(ChatModelRequestContext context) {
            events.add(context);
        }

        @Override
        public void onResponse(ChatModelResponseContext context) {
            events.add(context);
        }

        @Override
        public void onError(ChatModelErrorContext context) {
            events.add(context);
        }
    }

    @Inject
    LlavaO1ReasoningTool tool;

    @Inject
    RecordingListener listener;

    @BeforeEach
    void clear() {
        listener.events.clear();
    }

    @Test
    void aToolCallIsARequestAndAResponseUnderTheModelsName() {
        tool.reasonAboutImage(TinyCheckpoint.DIR.resolve("square.png").toString(), "What shape is this?");

        assertEquals(2, listener.events.size(), listener.events::toString);
        ChatModelRequestContext request = assertInstanceOf(ChatModelRequestContext.class, listener.events.get(0));
        assertEquals("tiny-llava", request.chatRequest().parameters().modelName());
        UserMessage question = assertInstanceOf(UserMessage.class, request.chatRequest().messages().get(0));
        assertEquals("What shape is this?", question.singleText());
        ChatModelResponseContext response = assertInstanceOf(ChatModelResponseContext.class, listener.events.get(1));
        assertSame(request.chatRequest(), response.chatRequest());
        LlavaO1ChatResponseMetadata metadata = assertInstanceOf(LlavaO1ChatResponseMetadata.class,
                response.chatResponse().metadata());
        assertEquals("tiny-llava", metadata.modelName());
        assertTrue(metadata.reasoning().candidateTokens() > 0, "the search's counts reach the metrics");
    }

    @Test
    void aRefusedImageIsAnError() {
        assertThrows(InvalidImageException.class, () -> tool.reasonAboutImage("/etc/passwd", "What is this?"));

        assertEquals(2, listener.events.size(), listener.events::toString);
        ChatModelErrorContext error = assertInstanceOf(ChatModelErrorContext.class, listener.events.get(1));
        assertInstanceOf(InvalidImageException.class, error.error());
    }
}
