package io.github.llavao1.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.github.llavao1.reasoning.ReasoningCancelledException;
import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StageTrace;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * LLaVA-o1 as a LangChain4j {@link StreamingChatModel}. Text streams as the search decides it, not as candidates
 * are sampled (a losing candidate's tokens are never shown): SUMMARY, CAPTION and REASONING through
 * {@code onPartialThinking}, the CONCLUSION through {@code onPartialResponse}; then {@code onCompleteResponse} with
 * the same response and metadata the blocking {@link LlavaO1ChatModel} gives for the same request and seed. In
 * {@link ReasoningMode#PLAIN} the single sample is the answer, so it streams token by token.
 *
 * <p>Each request runs on the executor (by default a pool of daemon threads). Errors arrive through
 * {@code onError}. Cancelling the handle from a partial callback's context stops the search at the next token;
 * nothing is delivered after a cancellation, and a {@link Cancellation} condition bound to the calling thread
 * stops it the same way, also before the first callback.
 */
public class LlavaO1StreamingChatModel implements StreamingChatModel {

    private static final ExecutorService DEFAULT_EXECUTOR = Executors.newCachedThreadPool(new DaemonThreads());

    private final ReasoningCall call;
    private final Executor executor;

    LlavaO1StreamingChatModel(ModelConfig config, Executor executor) {
        this.call = new ReasoningCall(config);
        this.executor = executor != null ? executor : DEFAULT_EXECUTOR;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LlavaEngineHandle engine() {
        return call.config().engine();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        // a Cancellation bound to the caller's thread follows the request onto the executor's
        BooleanSupplier cancelled = Cancellation.current();
        executor.execute(() -> Cancellation.run(cancelled, () -> stream(request, handler)));
    }

    private void stream(ChatRequest request, StreamingChatResponseHandler handler) {
        Handle handle = new Handle();
        try {
            ChatRequestParameters p = call.parameters(request);
            boolean plain = call.settings(request).mode() == ReasoningMode.PLAIN;
            StagedTextStream text = new StagedTextStream(call.config().includeStagesInText(), p.stopSequences(),
                    t -> handler.onPartialThinking(new PartialThinking(t), new PartialThinkingContext(handle)),
                    t -> handler.onPartialResponse(new PartialResponse(t), new PartialResponseContext(handle)));
            ReasoningListener listener = new ReasoningListener() {
                @Override
                public void onCandidateToken(String step, int candidate, String textDelta) {
                    if (plain) {
                        text.append(textDelta);
                    }
                }

                @Override
                public void onStepDecided(StageTrace trace) {
                    if (!plain) {
                        if (trace.stage() == Stage.CONCLUSION) {
                            text.startConclusion();
                        }
                        text.append(trace.winnerCandidate().text());
                    }
                }

                @Override
                public boolean isCancelled() {
                    return handle.isCancelled();
                }
            };
            ChatResponse response = call.run(request, listener);
            if (!handle.isCancelled()) {
                text.finish(response.aiMessage().text());
                handler.onCompleteResponse(response);
            }
        } catch (ReasoningCancelledException cancelled) {
            // the caller asked for it: nothing more is delivered
        } catch (RuntimeException | Error e) {
            if (!handle.isCancelled()) {
                handler.onError(e);
            }
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return call.config().defaults();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return call.config().listeners();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    private static final class Handle implements StreamingHandle {
        private final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }

    private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread thread = new Thread(r, "llava-o1-stream-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    public static final class Builder extends LlavaO1ModelBuilder<Builder> {
        private Executor executor;

        private Builder() {
        }

        /** Where requests run; default a shared pool of daemon threads. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        public LlavaO1StreamingChatModel build() {
            return new LlavaO1StreamingChatModel(config(), executor);
        }
    }
}
