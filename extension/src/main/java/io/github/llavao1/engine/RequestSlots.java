package io.github.llavao1.engine;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The engine's admission control: at most {@code concurrent} requests hold a slot, up to {@code queued} more wait
 * for one in arrival order (a fair semaphore), and one more is refused at once with {@link EngineBusyException}.
 * Thread-safe.
 */
final class RequestSlots {

    private final int concurrent;
    private final int queued;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    RequestSlots(int concurrent, int queued) {
        this.concurrent = concurrent;
        this.queued = queued;
        this.slots = new Semaphore(concurrent, true);
    }

    /**
     * Takes a slot, waiting in line if needed; the returned action gives it back (only the first run counts).
     *
     * @param closing polled while waiting: a request waiting when the engine closes gets an error, not a hang
     */
    Runnable acquire(BooleanSupplier closing, Path engine) {
        try {
            // the timed form keeps the arrival order, where tryAcquire() would barge ahead of waiting requests
            if (!slots.tryAcquire(0, TimeUnit.MILLISECONDS)) {
                if (waiting.incrementAndGet() > queued) {
                    waiting.decrementAndGet();
                    throw new EngineBusyException(concurrent, queued);
                }
                try {
                    while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        if (closing.getAsBoolean()) {
                            throw new IllegalStateException("the LLaVA-o1 engine for " + engine + " is closed");
                        }
                    }
                } finally {
                    waiting.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free LLaVA-o1 request slot", e);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                slots.release();
            }
        };
    }

    int running() {
        return concurrent - slots.availablePermits();
    }

    int waiting() {
        return waiting.get();
    }
}
