package io.github.llavao1.engine;

/**
 * The engine already runs its {@link EngineOptions#maxConcurrentRequests()} requests and its waiting line is full
 * ({@link EngineOptions#maxQueuedRequests()}): the request was refused before it allocated anything. A transient
 * condition; the message is meant for the client (HTTP 503 with a retry hint is the usual mapping).
 */
public class EngineBusyException extends RuntimeException {

    private final int running;
    private final int queued;

    public EngineBusyException(int running, int queued) {
        super("the LLaVA-o1 model is busy: " + running + " request(s) running and " + queued
                + " waiting, the most it takes; retry later");
        this.running = running;
        this.queued = queued;
    }

    /** The concurrency limit that was reached. */
    public int running() {
        return running;
    }

    /** The waiting-line limit that was reached. */
    public int queued() {
        return queued;
    }
}
