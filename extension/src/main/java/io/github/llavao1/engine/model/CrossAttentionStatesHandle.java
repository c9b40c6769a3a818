package io.github.llavao1.engine.model;

/**
 * One or more images encoded for a request (vision model, projector and every cross-attention layer's keys and
 * values), as an opaque handle to the package's {@link CrossAttentionStates}. Close it to free them.
 */
public final class CrossAttentionStatesHandle implements AutoCloseable {

    private final CrossAttentionStates states;

    CrossAttentionStatesHandle(CrossAttentionStates states) {
        this.states = states;
    }

    CrossAttentionStates states() {
        return states;
    }

    /** Native arrays held: every cross-attention layer's keys and values. */
    public int nativeArrays() {
        return states.nativeArrays();
    }

    /** Native memory held, in bytes. */
    public long bytes() {
        return states.bytes();
    }

    @Override
    public void close() {
        states.close();
    }
}
