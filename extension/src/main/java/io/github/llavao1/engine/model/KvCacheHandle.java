package io.github.llavao1.engine.model;

/**
 * The self-attention keys and values of tokens read so far (a prompt, or a prompt and accepted continuation), as an
 * opaque handle to the package's {@link KvCache}. Used by one thread at a time; close it to free it.
 */
public final class KvCacheHandle implements AutoCloseable {

    private final KvCache cache;

    KvCacheHandle(KvCache cache) {
        this.cache = cache;
    }

    KvCache cache() {
        return cache;
    }

    /** Positions written. */
    public int length() {
        return cache.length();
    }

    /**
     * A new one-sequence cache holding a copy of this one's positions, with room for {@code extra} more: how a
     * prefix is extended without reading it again.
     */
    public KvCacheHandle fork(int extra) {
        return new KvCacheHandle(cache.fork(1, extra));
    }

    @Override
    public void close() {
        cache.close();
    }
}
