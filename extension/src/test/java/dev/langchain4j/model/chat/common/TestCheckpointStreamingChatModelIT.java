package dev.langchain4j.model.chat.common;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AbstractStreamingChatModelIT} for a model on a test checkpoint (llava-o1-java's constructed one), which
 * knows nothing of the world. Three of its tests are package-private, so only a class in this package can override
 * them: each asks the capital of Germany and looks for "Berlin". Each is disabled here and replaced by the same test
 * without that assertion (the callbacks, errors and listener calls it checks do not depend on the text).
 * {@code should_cancel_streaming} runs as published; {@link #cancelled_stream_delivers_nothing_more} makes its checks
 * again once the cancelled request has ended on the model's executor.
 */
public abstract class TestCheckpointStreamingChatModelIT extends AbstractStreamingChatModelIT {

    private static final String QUESTION = "What is the capital of Germany?";
    private static final String USER_EXCEPTION = "something wrong happened in user code";

    @Override
    @Test
    @Disabled("needs world knowledge, which no test checkpoint has: looks for 'Berlin'; see user_exceptions_from_onPartialResponse_go_to_onError")
    void should_propagate_user_exceptions_thrown_from_onPartialResponse() {
    }

    @Override
    @Test
    @Disabled("needs world knowledge, which no test checkpoint has: looks for 'Berlin'; see user_exceptions_from_onCompleteResponse_go_to_onError")
    void should_propagate_user_exceptions_thrown_from_onCompleteResponse() {
    }

    @Override
    @Test
    @Disabled("needs world knowledge, which no test checkpoint has: looks for 'Berlin'; see user_exceptions_from_onError_are_ignored")
    void should_ignore_user_exceptions_thrown_from_onError() {
    }

    /**
     * A model that answers "Tell me a long story about animals" with more than 5 partial responses, and that runs its
     * requests on an executor {@link #awaitIdle()} can wait for.
     */
    protected abstract StreamingChatModel modelForCancellation();

    /** Returns once every request submitted to {@link #modelForCancellation()} so far has ended. */
    protected abstract void awaitIdle() throws Exception;

    /**
     * should_cancel_streaming without its 30 s wait: instead of waiting out a timeout for a completion that must
     * not come, it waits for the cancelled request to end on the model's executor, then checks what was delivered.
     */
    @Test
    void cancelled_stream_delivers_nothing_more() throws Exception {
        int partialResponsesBeforeCancellation = 5;
        AtomicInteger partialResponses = new AtomicInteger();
        AtomicInteger completions = new AtomicInteger();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicReference<StreamingHandle> streamingHandleReference = new AtomicReference<>();
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
                StreamingHandle streamingHandle = context.streamingHandle();
                assertThat(streamingHandle.isCancelled()).isFalse();
                streamingHandleReference.set(streamingHandle);
                assertThat(partialResponses).hasValueLessThan(partialResponsesBeforeCancellation);
                if (partialResponses.incrementAndGet() == partialResponsesBeforeCancellation) {
                    streamingHandle.cancel();
                    cancelled.complete(null);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                completions.incrementAndGet();
                cancelled.complete(null);
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
                cancelled.complete(null);
            }
        };

        modelForCancellation().chat(ChatRequest.builder()
                .messages(UserMessage.from("Tell me a long story about animals")).build(), handler);
        cancelled.get(60, SECONDS);
        awaitIdle();

        assertThat(errors).isEmpty();
        assertThat(partialResponses).hasValue(partialResponsesBeforeCancellation);
        assertThat(completions).hasValue(0);
        StreamingHandle streamingHandle = streamingHandleReference.get();
        assertThat(streamingHandle.isCancelled()).isTrue();
        streamingHandle.cancel(); // testing idempotency
        assertThat(streamingHandle.isCancelled()).isTrue();
    }

    /** should_propagate_user_exceptions_thrown_from_onPartialResponse without "Berlin". */
    @Test
    void user_exceptions_from_onPartialResponse_go_to_onError() throws Exception {
        AtomicInteger onPartialResponseCalled = new AtomicInteger();
        CompletableFuture<ChatResponse> futureResponse = new CompletableFuture<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RuntimeException userCodeException = new RuntimeException(USER_EXCEPTION);
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                onPartialResponseCalled.incrementAndGet();
                throw userCodeException;
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                futureResponse.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
            }
        };
        ChatModelListener listener = mock(ChatModelListener.class);
        StreamingChatModel model = createModelWith(listener);

        model.chat(QUESTION, handler);

        ChatResponse response = futureResponse.get(30, SECONDS);
        assertThat(response.aiMessage().text()).isNotEmpty();
        assertThat(onPartialResponseCalled.get()).isGreaterThan(0);
        // every partial's exception reached onError, and the stream went on to its completion
        assertThat(errors).hasSize(onPartialResponseCalled.get());
        for (Throwable error : errors) {
            assertThat(error).isEqualTo(userCodeException);
        }
        verify(listener).onRequest(any());
        verify(listener, times(onPartialResponseCalled.get())).onError(any());
        verify(listener).onResponse(any());
        verifyNoMoreInteractions(listener);
    }

    /** should_propagate_user_exceptions_thrown_from_onCompleteResponse without "Berlin". */
    @Test
    void user_exceptions_from_onCompleteResponse_go_to_onError() throws Exception {
        assertCompleteResponseExceptionReachesOnError(false);
    }

    /** should_ignore_user_exceptions_thrown_from_onError without "Berlin". */
    @Test
    void user_exceptions_from_onError_are_ignored() throws Exception {
        assertCompleteResponseExceptionReachesOnError(true);
    }

    private void assertCompleteResponseExceptionReachesOnError(boolean onErrorThrows) throws Exception {
        CompletableFuture<ChatResponse> futureResponse = new CompletableFuture<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> futureErrors = new CompletableFuture<>();
        RuntimeException userCodeException = new RuntimeException(USER_EXCEPTION);
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                futureResponse.complete(completeResponse);
                throw userCodeException;
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
                futureErrors.complete(null);
                if (onErrorThrows) {
                    throw new RuntimeException("something unexpected happened, but it should be ignored");
                }
            }
        };
        ChatModelListener listener = mock(ChatModelListener.class);
        StreamingChatModel model = createModelWith(listener);

        model.chat(QUESTION, handler);

        ChatResponse response = futureResponse.get(30, SECONDS);
        assertThat(response.aiMessage().text()).isNotEmpty();
        futureErrors.get(30, SECONDS);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).isEqualTo(userCodeException);
        verify(listener).onRequest(any());
        verify(listener).onError(any());
        verify(listener).onResponse(any());
        verifyNoMoreInteractions(listener);
    }
}
