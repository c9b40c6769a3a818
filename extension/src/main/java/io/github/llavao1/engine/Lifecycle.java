package io.github.llavao1.engine;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * An engine's open/closed state: work that uses the model's native memory runs under a read lock, and closing takes
 * the write lock, so close waits for every call in flight and a request racing a shutdown gets an exception, never a
 * crash. Thread-safe.
 */
final class Lifecycle {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Path directory;
    private volatile boolean closing;
    private boolean closed;

    /** @param directory the checkpoint, for the message of a call after close */
    Lifecycle(Path directory) {
        this.directory = directory;
    }

    /**
     * Runs {@code action}, which uses the model's native memory, while the engine cannot be closed under it.
     *
     * @throws IllegalStateException when the engine is closed
     */
    <T> T use(Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the LLaVA-o1 engine for " + directory + " is closed");
            }
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code action} unless the engine is already closed (freeing request state after close is a no-op). */
    void useIfOpen(Runnable action) {
        lock.readLock().lock();
        try {
            if (!closed) {
                action.run();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True once {@link #close} was called: running generations stop at their next step. */
    boolean closing() {
        return closing;
    }

    /** Marks the engine closing, waits for the calls in flight, then runs {@code free} once. */
    void close(Runnable free) {
        closing = true;
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                free.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
