package io.github.llavao1.langchain4j;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value bound to the calling thread for the duration of one call, a nested call restoring the outer value when it
 * returns: what {@link Cancellation} and {@link SearchProgress} hand to the requests made inside their calls.
 */
final class ThreadScoped<T> {

    private final ThreadLocal<T> bound = new ThreadLocal<>();
    private final T absent;

    ThreadScoped(T absent) {
        this.absent = absent;
    }

    /** Runs {@code call} with {@code value} bound to this thread. */
    <R> R call(T value, Supplier<R> call) {
        Objects.requireNonNull(call, "call must not be null");
        T outer = bound.get();
        bound.set(value);
        try {
            return call.get();
        } finally {
            if (outer == null) {
                bound.remove();
            } else {
                bound.set(outer);
            }
        }
    }

    /** The value bound to this thread, or the absent value. */
    T current() {
        T value = bound.get();
        return value == null ? absent : value;
    }

    /** The value bound to this thread, {@code null} outside any call. */
    T outer() {
        return bound.get();
    }
}
