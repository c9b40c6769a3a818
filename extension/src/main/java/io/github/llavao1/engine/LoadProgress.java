package io.github.llavao1.engine;

/**
 * Where a model load stands, reported after each tensor.
 *
 * @param shardsDone shards whose every tensor is on the device
 * @param bytesLoaded checkpoint bytes copied to the device so far
 */
public record LoadProgress(int shardsDone, int shards, long bytesLoaded, long totalBytes, double elapsedSeconds) {

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
        return String.format(java.util.Locale.ROOT, "%.2f/%.2f GB (%.0f%%), shards %d/%d, %.2f GB/s",
                bytesLoaded / 1e9, totalBytes / 1e9, 100 * fraction(), shardsDone, shards, gigabytesPerSecond());
    }
}
