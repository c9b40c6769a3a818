package io.github.llavao1.engine;

/**
 * Where a model load stands, reported after each tensor.
 *
 * @param shard 1-based index of the shard being read
 * @param bytesLoaded checkpoint bytes copied to the device so far
 */
public record LoadProgress(int shard, int shards, long bytesLoaded, long totalBytes, double elapsedSeconds) {

    public double fraction() {
        return totalBytes == 0 ? 1 : (double) bytesLoaded / totalBytes;
    }

    public double gigabytesPerSecond() {
        return elapsedSeconds <= 0 ? 0 : bytesLoaded / 1e9 / elapsedSeconds;
    }

    public boolean done() {
        return bytesLoaded >= totalBytes;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "shard %d/%d, %.2f/%.2f GB (%.0f%%), %.2f GB/s", shard, shards,
                bytesLoaded / 1e9, totalBytes / 1e9, 100 * fraction(), gigabytesPerSecond());
    }
}
