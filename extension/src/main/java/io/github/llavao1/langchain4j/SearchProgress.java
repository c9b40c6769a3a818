package io.github.llavao1.langchain4j;

import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.StageTrace;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Watches the search of LLaVA-o1 requests from outside LangChain4j's API, which has no place for it: inside
 * {@link #call} (or {@link #run}) every request of an {@link LlavaO1ChatModel} or {@link LlavaO1StreamingChatModel}
 * reports to {@code observer} each candidate's tokens as they are sampled ({@link ReasoningListener#onCandidateToken},
 * one call per sampled token, its text possibly empty) and each step's candidates, judgements, pre-checks and winner
 * as soon as the step is decided ({@link ReasoningListener#onStepDecided}). A UI shows the search with it:
 *
 * <pre>{@code
 * SearchProgress.run(observer, () -> streamingChatModel.chat(request, handler));
 * }</pre>
 *
 * As with {@link Cancellation}, the observer is bound to the calling thread for the call's duration and a streaming
 * model takes it along to the thread its request runs on. It is called on the searching thread; an exception it
 * throws ends the request with that error. Its {@link ReasoningListener#isCancelled} is polled too.
 */
public final class SearchProgress {

    private static final ThreadScoped<ReasoningListener> CURRENT = new ThreadScoped<>(ReasoningListener.NONE);

    private SearchProgress() {
    }

    /** Runs {@code call}; LLaVA-o1 requests made inside report their search to {@code observer}. */
    public static <T> T call(ReasoningListener observer, Supplier<T> call) {
        Objects.requireNonNull(observer, "observer must not be null");
        return CURRENT.call(observer, call);
    }

    /** Runs {@code call}; LLaVA-o1 requests made inside report their search to {@code observer}. */
    public static void run(ReasoningListener observer, Runnable call) {
        Objects.requireNonNull(call, "call must not be null");
        call(observer, () -> {
            call.run();
            return null;
        });
    }

    /** The observer bound to this thread, or {@link ReasoningListener#NONE}. */
    static ReasoningListener current() {
        return CURRENT.current();
    }

    /** {@code listener}, followed by the observer bound to this thread; either cancels. */
    static ReasoningListener including(ReasoningListener listener) {
        ReasoningListener observer = current();
        if (observer == ReasoningListener.NONE) {
            return listener;
        }
        return new ReasoningListener() {
            @Override
            public void onCandidateToken(String step, int candidate, String textDelta) {
                listener.onCandidateToken(step, candidate, textDelta);
                observer.onCandidateToken(step, candidate, textDelta);
            }

            @Override
            public void onStepDecided(StageTrace trace) {
                // the decision before the winner's text that the listener may stream
                observer.onStepDecided(trace);
                listener.onStepDecided(trace);
            }

            @Override
            public boolean isCancelled() {
                return listener.isCancelled() || observer.isCancelled();
            }
        };
    }
}
