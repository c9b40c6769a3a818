package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code timeout}: the default model inherits {@code quarkus.langchain4j.timeout} (1 ms, which no search meets), so
 * its requests are cancelled and fail with a timeout error, blocking and streaming alike; a named model's own
 * {@code timeout} overrides the global one and answers.
 */
class TimeoutTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TinyCheckpoint.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES + """
                            quarkus.langchain4j.timeout=1ms
                            quarkus.langchain4j.patient.chat-model.provider=llava-o1
                            quarkus.langchain4j.llava-o1.patient.model-path=%s
                            quarkus.langchain4j.llava-o1.patient.timeout=10m
                            quarkus.langchain4j.llava-o1.patient.reasoning.mode=plain
                            quarkus.langchain4j.llava-o1.patient.reasoning.max-tokens=3
                            """.formatted(TinyCheckpoint.DIR)), "application.properties"));

    @Inject
    ChatModel model;

    @Inject
    StreamingChatModel streamingModel;

    @Inject
    @ModelName("patient")
    ChatModel patient;

    private static ChatRequest question() {
        return ChatRequest.builder().messages(TinyCheckpoint.questionAboutSquare()).build();
    }

    @Test
    void aRequestPastTheInheritedTimeoutFailsWithATimeoutError() {
        TimeoutException e = assertThrows(TimeoutException.class, () -> model.chat(question()));
        assertTrue(e.getMessage().contains("longer than its timeout of PT0.001S and was cancelled"), e.getMessage());
    }

    @Test
    void aStreamingRequestPastTheTimeoutEndsInOnError() throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streamingModel.chat(question(), new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        // A bound on a hung test, not a timed assertion: the cancellation itself comes at the first token.
        ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(5, TimeUnit.MINUTES));
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    @Test
    void aModelsOwnTimeoutOverridesTheGlobalOne() {
        ChatResponse response = patient.chat(question());
        assertInstanceOf(LlavaO1ChatResponseMetadata.class, response.metadata());
        assertEquals("tiny-mllama-a", response.metadata().modelName(), "no model-name: the checkpoint's name");
    }
}
