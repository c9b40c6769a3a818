package io.github.llavao1.langchain4j;

import io.github.llavao1.reasoning.ReasoningCancelledException;
import io.github.llavao1.reasoning.ReasoningListener;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Cancels LLaVA-o1 requests from outside: LangChain4j's {@code ChatModel.chat} has no cancellation at all, and a
 * stream's handle only reaches the caller with its first partial callback, which the stage search sends only when
 * a stage is decided. A request made inside {@link #call} (or {@link #run}) polls {@code cancelled} after every
 * sampled token and before every model call, and once it answers {@code true} stops with a
 * {@link ReasoningCancelledException} (blocking models) or silently (streaming models: nothing more is delivered),
 * freeing what it holds. Typical use, in a server, is "the client has disconnected":
 *
 * <pre>{@code
 * ChatResponse r = Cancellation.call(response::closed, () -> chatModel.chat(request));
 * Cancellation.run(sink::isClosed, () -> streamingChatModel.chat(request, handler));
 * }</pre>
 *
 * The condition is bound to the calling thread for the call's duration (AI services calling the model on the same
 * thread see it too); a streaming model takes it along to the thread its request runs on. It must be cheap and
 * thread-safe.
 */
public final class Cancellation {

    private static final BooleanSupplier NEVER = () -> false;
    private static final ThreadScoped<BooleanSupplier> CURRENT = new ThreadScoped<>(NEVER);

    private Cancellation() {
    }

    /** Runs {@code call}; LLaVA-o1 requests made inside stop once {@code cancelled} is true. */
    public static <T> T call(BooleanSupplier cancelled, Supplier<T> call) {
        Objects.requireNonNull(cancelled, "cancelled must not be null");
        BooleanSupplier outer = CURRENT.outer();
        return CURRENT.call(outer == null ? cancelled : () -> cancelled.getAsBoolean() || outer.getAsBoolean(), call);
    }

    /** Runs {@code call}; LLaVA-o1 requests made inside stop once {@code cancelled} is true. */
    public static void run(BooleanSupplier cancelled, Runnable call) {
        Objects.requireNonNull(call, "call must not be null");
        call(cancelled, () -> {
            call.run();
            return null;
        });
    }

    /** The condition bound to this thread, or one that never cancels. */
    static BooleanSupplier current() {
        return CURRENT.current();
    }

    /** {@code listener}, also cancelled by the condition bound to this thread. */
    static ReasoningListener including(ReasoningListener listener) {
        BooleanSupplier cancelled = current();
        if (cancelled == NEVER) {
            return listener;
        }
        return listener.cancelledAlsoWhen(cancelled);
    }
}
