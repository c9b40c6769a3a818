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
import io.github.llavao1.reasoning.Candidate;
import io.github.llavao1.reasoning.ReasoningCancelledException;
import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StageTrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.BooleanSupplier;

/**
 * LLaVA-o1 as a LangChain4j {@link StreamingChatModel}. Text streams as the search decides it, not as candidates
 * are sampled (a losing candidate's tokens are never shown); then {@code onCompleteResponse} with the same response
 * and metadata the blocking {@link LlavaO1ChatModel} gives for the same request and seed (the id aside, unique per
 * response). What the partials are, by {@link ReasoningMode}:
 * <ul>
 *   <li>{@link ReasoningMode#STAGE_BEAM}: each stage's winner, as soon as it is decided, replayed in the pieces
 *       its tokens were sampled in; SUMMARY, CAPTION and REASONING through {@code onPartialThinking}, the
 *       CONCLUSION through {@code onPartialResponse};</li>
 *   <li>{@link ReasoningMode#SENTENCE_BEAM}: each sentence's winner, replayed the same way;</li>
 *   <li>{@link ReasoningMode#BEST_OF_N}: the winning answer once the knockout is over, replayed the same way;</li>
 *   <li>{@link ReasoningMode#PLAIN}: the single sample is the answer, so its tokens stream as they are sampled.</li>
 * </ul>
 * Outside stage-level search the split into thinking and response follows the text (see {@link StagedTextStream}).
 * The partial thinking and responses concatenate exactly to the final {@code thinking()} and {@code text()}.
 *
 * <p>Requests are checked on the caller's thread: an unsupported request throws from {@code chat(...)}, like the
 * blocking model. Each accepted request runs on the executor (by default a pool of daemon threads); its failures
 * arrive through {@code onError}. An exception thrown by the caller's {@code onPartialResponse},
 * {@code onPartialThinking} or {@code onCompleteResponse} is passed to {@code onError} and the stream goes on; one
 * thrown by {@code onError} is logged and ignored. Cancelling the handle (from a partial callback's context) stops
 * the delivery at once and the search at its next token; nothing is delivered after a cancellation. A
 * {@link Cancellation} condition bound to the calling thread stops it the same way, also before the first callback.
 */
public class LlavaO1StreamingChatModel implements StreamingChatModel {

    private static final Logger LOG = LoggerFactory.getLogger(LlavaO1StreamingChatModel.class);
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
        ReasoningCall.Prepared prepared = call.prepare(request);
        // a Cancellation and a SearchProgress bound to the caller's thread follow the request onto the executor's
        BooleanSupplier cancelled = Cancellation.current();
        ReasoningListener observer = SearchProgress.current();
        executor.execute(() -> Cancellation.run(cancelled,
                () -> SearchProgress.run(observer, () -> stream(prepared, new Delivery(handler)))));
    }

    private void stream(ReasoningCall.Prepared prepared, Delivery out) {
        try {
            StagedTextStream text = ResponseMapping.textStream(prepared.settings().mode(),
                    call.config().includeStagesInText(), prepared.parameters().stopSequences(), out::thinking,
                    out::response);
            ChatResponse response = call.run(prepared, new StreamingListener(prepared.settings().mode(), text, out));
            if (!out.cancelled()) {
                text.finish(((LlavaO1ChatResponseMetadata) response.metadata()).reasoning().conclusion());
            }
            if (!out.cancelled()) { // the held-back text's partials may have cancelled
                out.complete(response);
            }
        } catch (ReasoningCancelledException cancelled) {
            // the caller asked for it: nothing more is delivered
        } catch (RuntimeException | Error e) {
            if (!out.cancelled()) {
                out.error(e);
            }
        }
    }

    /**
     * Feeds the decided text to the stream: PLAIN's tokens as sampled; in the other modes each step's candidates'
     * tokens are kept until the step is decided, then the winner's are replayed.
     */
    private static final class StreamingListener implements ReasoningListener {
        private final boolean plain;
        private final boolean stageAware;
        private final StagedTextStream text;
        private final Delivery out;
        private final Map<Integer, List<String>> pieces = new HashMap<>();
        private final StringBuilder plainSent = new StringBuilder();

        StreamingListener(ReasoningMode mode, StagedTextStream text, Delivery out) {
            this.plain = mode == ReasoningMode.PLAIN;
            this.stageAware = mode == ReasoningMode.STAGE_BEAM;
            this.text = text;
            this.out = out;
        }

        @Override
        public void onCandidateToken(String step, int candidate, String textDelta) {
            if (textDelta.isEmpty() || out.cancelled()) {
                return;
            }
            if (plain) {
                plainSent.append(textDelta);
                text.append(textDelta);
            } else {
                pieces.computeIfAbsent(candidate, c -> new ArrayList<>()).add(textDelta);
            }
        }

        @Override
        public void onStepDecided(StageTrace trace) {
            Candidate winner = trace.winnerCandidate();
            if (plain) {
                // the decoder's last flush (at EOS) reaches the text but not the token stream
                String rest = winner.text().startsWith(plainSent.toString())
                        ? winner.text().substring(plainSent.length()) : "";
                if (!rest.isEmpty() && !out.cancelled()) {
                    text.append(rest);
                }
                return;
            }
            if (stageAware && trace.stage() == Stage.CONCLUSION) {
                text.startConclusion();
            }
            List<String> sampled = pieces.getOrDefault(winner.index(), List.of());
            pieces.clear();
            if (!String.join("", sampled).equals(winner.text())) {
                sampled = List.of(winner.text());
            }
            for (String piece : sampled) {
                if (out.cancelled()) {
                    return;
                }
                text.append(piece);
            }
        }

        @Override
        public boolean isCancelled() {
            return out.cancelled();
        }
    }

    /**
     * The caller's handler as the contract wants it called: never an empty partial; an exception from a partial or
     * the complete callback goes to {@code onError}, one from {@code onError} is logged; none reaches the search.
     */
    private static final class Delivery implements StreamingHandle {
        private final StreamingChatResponseHandler handler;
        private final AtomicBoolean cancelled = new AtomicBoolean();

        Delivery(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        boolean cancelled() {
            return cancelled.get();
        }

        void thinking(String text) {
            if (!text.isEmpty() && !cancelled()) {
                try {
                    handler.onPartialThinking(new PartialThinking(text), new PartialThinkingContext(this));
                } catch (RuntimeException e) {
                    error(e);
                }
            }
        }

        void response(String text) {
            if (!text.isEmpty() && !cancelled()) {
                try {
                    handler.onPartialResponse(new PartialResponse(text), new PartialResponseContext(this));
                } catch (RuntimeException e) {
                    error(e);
                }
            }
        }

        void complete(ChatResponse response) {
            try {
                handler.onCompleteResponse(response);
            } catch (RuntimeException e) {
                error(e);
            }
        }

        void error(Throwable error) {
            try {
                handler.onError(error);
            } catch (RuntimeException | Error e) {
                // an Error too: the thread is the model's, and the caller has nowhere else to be told
                LOG.warn("The handler's onError threw; ignored", e);
            }
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
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
