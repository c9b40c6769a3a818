package io.github.llavao1.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The peak of this process's anonymous resident memory ({@code RssAnon} in Linux's /proc/self/status): the heap,
 * libtorch's tensors and other private allocations, without the file-backed pages of the memory-mapped checkpoint
 * that {@code VmHWM} (peak_rss_gb) also counts and the kernel can reclaim. Linux keeps no high-water mark of it, so a
 * daemon thread samples it every {@value #INTERVAL_MS} ms (and once more at {@link #stop}): a peak shorter than that
 * can be missed, so the figure is a lower bound within one sampling interval. On other systems {@link #peakBytes} is
 * -1.
 */
final class AnonRssSampler {

    static final long INTERVAL_MS = 20;
    private static final Path STATUS = Path.of("/proc/self/status");

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak = -1;

    private AnonRssSampler() {
        thread = new Thread(this::loop, "bench-anon-rss");
        thread.setDaemon(true);
    }

    static AnonRssSampler start() {
        AnonRssSampler sampler = new AnonRssSampler();
        sampler.sample();
        if (sampler.peak >= 0) {
            sampler.thread.start();
        }
        return sampler;
    }

    /** Stops sampling after a last sample. */
    void stop() {
        running = false;
        thread.interrupt();
        sample();
    }

    /** The largest RssAnon seen, in bytes; -1 where it cannot be read. */
    long peakBytes() {
        return peak;
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        long now = rssAnonBytes();
        if (now > peak) {
            peak = now;
        }
    }

    /** RssAnon now, in bytes; -1 where /proc/self/status or the field is missing. */
    static long rssAnonBytes() {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
                if (line.startsWith("RssAnon:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
