package io.github.llavao1.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import sun.misc.Unsafe;

/**
 * This machine's memory read bandwidth as the bench measures it (issue 23): {@code threads} threads each sum the longs
 * of its contiguous share of one off-heap array of {@code bytes} (far larger than the caches), all started together;
 * a repetition's bandwidth is the array's bytes over the time until the last thread is done, and the result is the
 * median repetition after one untimed warm-up pass (which also gets the loop compiled). It measures what plain Java
 * scalar loads (four independent sums a thread, no SIMD) get from DRAM: a lower bound on the hardware's read
 * bandwidth, somewhat below a vectorised C loop's. The array lives off the heap ({@link Unsafe#allocateMemory}, so
 * neither -Xmx nor the direct-memory limit constrains it), is written once so that its pages are resident, and is
 * freed before this returns.
 */
final class MemoryBandwidth {

    private static final Unsafe UNSAFE = unsafe();
    /** Keeps the sums alive so that the compiler cannot drop the reads. */
    private static volatile long sink;

    private MemoryBandwidth() {
    }

    /**
     * The same measure through libtorch: {@code torch.sum} over a float32 array of {@code bytes} in native memory, split
     * across libtorch's intra-op threads by libtorch itself and read with its vector code (what its kernels get from
     * DRAM). On this project's 2-core build machine (Dec 2026) it read 30.5 GB/s, a vectorised C loop (gcc -O3
     * -march=native, OpenMP, 2 threads, 2 GB) 34 GB/s and the Java loop of {@link #readGigabytesPerSecond} 17 GB/s: the
     * Java figure would halve the floor. Median of {@code repetitions} after a warm-up; the array is freed before this
     * returns.
     */
    static double libtorchReadGigabytesPerSecond(long bytes, int repetitions) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray array = manager.ones(new Shape(bytes / Float.BYTES), DataType.FLOAT32);
            List<Double> rates = new ArrayList<>();
            for (int pass = 0; pass <= repetitions; pass++) {
                long start = System.nanoTime();
                try (NDArray total = array.sum()) {
                    sink += (long) total.getFloat();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (pass > 0) {
                    rates.add(array.getShape().size() * Float.BYTES / 1e9 / seconds);
                }
            }
            rates.sort(Comparator.naturalOrder());
            return rates.get(rates.size() / 2);
        }
    }

    /** The median read bandwidth in GB/s (10^9 bytes a second) over {@code repetitions} timed passes. */
    static double readGigabytesPerSecond(long bytes, int threads, int repetitions) {
        long longs = bytes / Long.BYTES;
        long address = UNSAFE.allocateMemory(longs * Long.BYTES);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "bench-memory-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            UNSAFE.setMemory(address, longs * Long.BYTES, (byte) 1);
            List<Double> rates = new ArrayList<>();
            for (int pass = 0; pass <= repetitions; pass++) {
                long start = System.nanoTime();
                List<Future<Long>> parts = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    long from = longs * i / threads;
                    long to = longs * (i + 1) / threads;
                    parts.add(pool.submit(() -> sum(address + from * Long.BYTES, to - from)));
                }
                long total = 0;
                for (Future<Long> part : parts) {
                    total += part.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                sink += total;
                if (pass > 0) {
                    rates.add(longs * Long.BYTES / 1e9 / seconds);
                }
            }
            rates.sort(Comparator.naturalOrder());
            return rates.get(rates.size() / 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring memory bandwidth", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("memory bandwidth measurement failed", e.getCause());
        } finally {
            pool.shutdownNow();
            UNSAFE.freeMemory(address);
        }
    }

    /** The sum of {@code count} longs from {@code address}, with four independent sums (loads not serialised by one add chain). */
    private static long sum(long address, long count) {
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        long end = address + (count & ~3L) * Long.BYTES;
        for (long p = address; p < end; p += 4 * Long.BYTES) {
            a += UNSAFE.getLong(p);
            b += UNSAFE.getLong(p + 8);
            c += UNSAFE.getLong(p + 16);
            d += UNSAFE.getLong(p + 24);
        }
        for (long p = end; p < address + count * Long.BYTES; p += Long.BYTES) {
            a += UNSAFE.getLong(p);
        }
        return a + b + c + d;
    }

    private static Unsafe unsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Unsafe is not reachable", e);
        }
    }
}
