package io.github.llavao1.engine;

import io.github.llavao1.validation.InvalidSettingException;
import java.util.Locale;
import java.util.Set;

/**
 * How to load the model: where it computes, in which dtype, and how prompts are encoded.
 *
 * @param device "auto" (the first GPU when a CUDA libtorch is present, else the CPU), "cpu", "gpu" or "gpu:N"
 * @param dtype "auto" (float16 on a GPU, float32 on the CPU), "float32" or "float16"
 * @param quantization "none" (the default) or "int8": the text decoder's linear maps quantized to int8 per output
 *     channel while loading (about a quarter of float32's memory; on the CPU, in float32 with bfloat16 inside the
 *     quantized matrix products; issue 23)
 * @param doubleBos start prompts with two {@code <|begin_of_text|>} tokens, as LLaVA-o1 was trained and evaluated
 *     (its reference tokenizes the rendered chat template with BOS added again); on by default
 * @param maxImageBytes largest encoded image accepted
 * @param maxImagePixels largest decoded image accepted (width × height)
 * @param imageCacheBytes bound on the native memory of encoded images kept for later requests with the same image
 *     (see {@link ImageCache}); 0 turns the cache off, {@link #DEVICE_DEFAULT_IMAGE_CACHE} picks the device's
 *     default ({@link #CPU_IMAGE_CACHE_BYTES} on the CPU, {@link #GPU_IMAGE_CACHE_BYTES} on a GPU)
 * @param maxConcurrentRequests requests (open {@link Session}s) computing at once; each holds its images' encoding
 *     and its KV caches, so this bounds the memory requests use
 * @param maxQueuedRequests requests waiting for one of those slots, in arrival order; one more is refused at once
 *     with {@link EngineBusyException}
 * @param checkMemory on the CPU, refuse to load weights that need more memory than the process has available
 *     ({@link InsufficientMemoryException}) instead of running out of memory while loading; on by default
 */
public record EngineOptions(String device, String dtype, String quantization, boolean doubleBos, long maxImageBytes, long maxImagePixels,
        long imageCacheBytes, int maxConcurrentRequests, int maxQueuedRequests, boolean checkMemory) {

    /** {@link #imageCacheBytes()} value meaning "the device's default". */
    public static final long DEVICE_DEFAULT_IMAGE_CACHE = -1;
    /** 1 GiB: two images at the 11B shape in float32 (8 cross-attention layers' K/V, ~420 MB an image). */
    public static final long CPU_IMAGE_CACHE_BYTES = 1L << 30;
    /** 2 GiB: nine images at the 11B shape in float16 (~210 MB an image). */
    public static final long GPU_IMAGE_CACHE_BYTES = 2L << 30;

    /** The {@link #quantization()} values. */
    public static final Set<String> QUANTIZATIONS = Set.of("none", "int8");

    public EngineOptions {
        device = device == null ? "auto" : device.trim().toLowerCase(Locale.ROOT);
        dtype = dtype == null ? "auto" : dtype.trim().toLowerCase(Locale.ROOT);
        quantization = quantization == null ? "none" : quantization.trim().toLowerCase(Locale.ROOT);
        if (!device.matches("auto|cpu|gpu|gpu:\\d+")) {
            throw new InvalidSettingException("device", "must be auto, cpu, gpu or gpu:N, got '" + device + "'");
        }
        if (!dtype.matches("auto|float32|float16")) {
            throw new InvalidSettingException("dtype", "must be auto, float32 or float16, got '" + dtype + "'");
        }
        if (!QUANTIZATIONS.contains(quantization)) {
            throw new InvalidSettingException("quantization", "must be none or int8, got '" + quantization + "'");
        }
        if (maxImageBytes < 1) {
            throw new InvalidSettingException("maxImageBytes", "must be >= 1, got " + maxImageBytes);
        }
        if (maxImagePixels < 1) {
            throw new InvalidSettingException("maxImagePixels", "must be >= 1, got " + maxImagePixels);
        }
        if (imageCacheBytes < DEVICE_DEFAULT_IMAGE_CACHE) {
            throw new InvalidSettingException("imageCacheBytes", "must be >= 0 (0 = off), or -1 for the device's default, got "
                    + imageCacheBytes);
        }
        if (maxConcurrentRequests < 1) {
            throw new InvalidSettingException("maxConcurrentRequests", "must be >= 1, got " + maxConcurrentRequests);
        }
        if (maxQueuedRequests < 0) {
            throw new InvalidSettingException("maxQueuedRequests", "must be >= 0, got " + maxQueuedRequests);
        }
    }

    /** The image cache bound on {@code gpu} or the CPU: {@link #imageCacheBytes()} with the device default resolved. */
    public long imageCacheBytes(boolean gpu) {
        if (imageCacheBytes != DEVICE_DEFAULT_IMAGE_CACHE) {
            return imageCacheBytes;
        }
        return gpu ? GPU_IMAGE_CACHE_BYTES : CPU_IMAGE_CACHE_BYTES;
    }

    public static EngineOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults: device auto, dtype auto, quantization none, double BOS on, images up to 20 MB and 50 megapixels, the
     * device's default image cache, 2 requests at once and 16 waiting, the memory check on.
     */
    public static final class Builder {
        private String device = "auto";
        private String dtype = "auto";
        private String quantization = "none";
        private boolean doubleBos = true;
        private long maxImageBytes = 20L * 1024 * 1024;
        private long maxImagePixels = 50_000_000L;
        private long imageCacheBytes = DEVICE_DEFAULT_IMAGE_CACHE;
        private int maxConcurrentRequests = 2;
        private int maxQueuedRequests = 16;
        private boolean checkMemory = true;

        public Builder device(String value) {
            this.device = value;
            return this;
        }

        public Builder dtype(String value) {
            this.dtype = value;
            return this;
        }

        /** "none" (default) or "int8", see {@link EngineOptions#quantization()}. */
        public Builder quantization(String value) {
            this.quantization = value;
            return this;
        }

        public Builder doubleBos(boolean value) {
            this.doubleBos = value;
            return this;
        }

        public Builder maxImageBytes(long value) {
            this.maxImageBytes = value;
            return this;
        }

        public Builder maxImagePixels(long value) {
            this.maxImagePixels = value;
            return this;
        }

        /** Bound on cached image encodings in bytes; 0 = off, -1 = the device's default. */
        public Builder imageCacheBytes(long value) {
            this.imageCacheBytes = value;
            return this;
        }

        public Builder maxConcurrentRequests(int value) {
            this.maxConcurrentRequests = value;
            return this;
        }

        public Builder maxQueuedRequests(int value) {
            this.maxQueuedRequests = value;
            return this;
        }

        /** Whether loading onto the CPU first checks that the weights fit in the available memory (default on). */
        public Builder checkMemory(boolean value) {
            this.checkMemory = value;
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(device, dtype, quantization, doubleBos, maxImageBytes, maxImagePixels,
                    imageCacheBytes, maxConcurrentRequests, maxQueuedRequests, checkMemory);
        }
    }
}
