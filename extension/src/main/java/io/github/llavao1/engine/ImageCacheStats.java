package io.github.llavao1.engine;

/**
 * A snapshot of the engine's image-encoding cache (see {@link EngineOptions#imageCacheBytes()}).
 *
 * @param hits images whose encoding was reused (the vision tower did not run for them)
 * @param misses images that went through the vision tower, projector and cross-attention K/V projections
 * @param evictions encodings dropped to stay within the byte bound (or too large to keep at all)
 * @param entries encodings held now
 * @param bytes native memory those encodings hold now; never more than {@code capacityBytes}
 * @param capacityBytes the bound; 0 when the cache is off
 */
public record ImageCacheStats(long hits, long misses, long evictions, int entries, long bytes, long capacityBytes) {
}
