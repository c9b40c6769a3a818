package io.github.llavao1.engine;

import io.github.llavao1.engine.model.KvCacheHandle;

/**
 * A prompt (or a prompt plus accepted continuation tokens) that has been read into a self-attention cache, ready
 * for generation to fork from without reading it again. Immutable; generations copy its cache. Close it to free
 * the cache; closing the {@link Session} closes all its prefixes.
 */
public final class Prefix implements AutoCloseable {

    private final Session session;
    private final int[] tokens;
    private final KvCacheHandle cache;
    private final float[] lastLogits;
    private final long[] decodeTileMask;
    private final double prefillMillis;

    Prefix(Session session, int[] tokens, KvCacheHandle cache, float[] lastLogits, long[] decodeTileMask, double prefillMillis) {
        this.session = session;
        this.tokens = tokens;
        this.cache = cache;
        this.lastLogits = lastLogits;
        this.decodeTileMask = decodeTileMask;
        this.prefillMillis = prefillMillis;
    }

    /** All token ids of the prefix, prompt first. */
    public int[] tokens() {
        return tokens.clone();
    }

    public int length() {
        return tokens.length;
    }

    /** Whether {@code ids} start with this prefix's tokens. */
    public boolean isPrefixOf(int[] ids) {
        return ids.length >= tokens.length && java.util.Arrays.equals(ids, 0, tokens.length, tokens, 0, tokens.length);
    }

    /** Milliseconds spent reading this prefix's tokens (only the new ones, for an extension). */
    public double prefillMillis() {
        return prefillMillis;
    }

    Session session() {
        return session;
    }

    KvCacheHandle cache() {
        return cache;
    }

    float[] lastLogits() {
        return lastLogits;
    }

    long[] decodeTileMask() {
        return decodeTileMask;
    }

    @Override
    public void close() {
        session.release(cache);
    }
}
