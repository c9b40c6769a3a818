package io.github.llavao1.engine;

import java.util.Locale;

/**
 * Where getting a model ready stands: reported while its files are downloaded from the Hugging Face Hub
 * ({@link Phase#DOWNLOADING}, see {@code io.github.llavao1.hub.ModelDownloader}) and after each tensor while its weights
 * are copied to the device ({@link Phase#LOADING}). One listener can follow both.
 *
 * @param shardsDone shards (files, while downloading) that are complete
 * @param bytesLoaded bytes copied to the device (received from the Hub, while downloading) so far
 * @param totalBytes bytes to copy (to receive: files already in the cache are not counted)
 */
public record LoadProgress(int shardsDone, int shards, long bytesLoaded, long totalBytes, double elapsedSeconds,
                           Phase phase) {

    /** What the bytes are doing. */
    public enum Phase {
        /** Files are being fetched from the Hub into the local cache. */
        DOWNLOADING,
        /** Weights are being copied to the device. */
        LOADING
    }

    /** Loading progress. */
    public LoadProgress(int shardsDone, int shards, long bytesLoaded, long totalBytes, double elapsedSeconds) {
        this(shardsDone, shards, bytesLoaded, totalBytes, elapsedSeconds, Phase.LOADING);
    }

    public double fraction() {
        return totalBytes == 0 ? 1 : (double) bytesLoaded / totalBytes;
    }

    public double gigabytesPerSecond() {
        return elapsedSeconds <= 0 ? 0 : bytesLoaded / 1e9 / elapsedSeconds;
    }

    /** Seconds left at the average speed so far; 0 when done, infinite before the first byte. */
    public double etaSeconds() {
        if (done()) {
            return 0;
        }
        return bytesLoaded == 0 || elapsedSeconds <= 0 ? Double.POSITIVE_INFINITY
                : (totalBytes - bytesLoaded) * elapsedSeconds / bytesLoaded;
    }

    public boolean done() {
        return bytesLoaded >= totalBytes;
    }

    @Override
    public String toString() {
        if (phase == Phase.DOWNLOADING) {
            return String.format(Locale.ROOT, "downloading %.2f/%.2f GB (%.0f%%), files %d/%d, %.1f MB/s, ETA %s",
                    bytesLoaded / 1e9, totalBytes / 1e9, 100 * fraction(), shardsDone, shards,
                    gigabytesPerSecond() * 1000, eta());
        }
        return String.format(Locale.ROOT, "%.2f/%.2f GB (%.0f%%), shards %d/%d, %.2f GB/s",
                bytesLoaded / 1e9, totalBytes / 1e9, 100 * fraction(), shardsDone, shards, gigabytesPerSecond());
    }

    private String eta() {
        double seconds = etaSeconds();
        if (Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
