package io.github.llavao1.cli;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.ImageCache;
import io.github.llavao1.engine.MemoryCheck;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.checkpoint.RandomCheckpoint;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.config.AspectRatio;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.TextConfig;
import io.github.llavao1.engine.config.VisionConfig;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.model.ComputeDevice;
import io.github.llavao1.engine.model.DecodeBatch;
import io.github.llavao1.engine.model.CrossAttentionStatesHandle;
import io.github.llavao1.engine.model.LoadedModel;
import io.github.llavao1.engine.model.KvCacheHandle;
import io.github.llavao1.engine.model.Quantization;
import io.github.llavao1.engine.text.CrossAttentionMask;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bench}: random weights at any shape, then load time, image encoding, prefill (one 4-tile image + prompt
 * tokens) and decode ms/step for several batch sizes, measured at the model level exactly as the generation loop
 * drives it (greedy: the decoder picks the token on the device). Per decode step it also counts the calls from Java
 * into libtorch (arguments, the call, results, and every array created and freed in the step) and the operators
 * libtorch ran (its profiler's top-level aten:: events).
 */
final class BenchCommand {

    static final String USAGE = """
            bench [--config 11b|deep|mid|small|FILE] [--device auto|cpu|gpu[:N]] [--dtype auto|float32|float16]
                  [--quantization none|int8] [--dir DIR] [--keep] [--prompt-tokens 64] [--cache-tokens 0]
                  [--decode-steps 32] [--batches 1,4] [--repeat 3] [--json] [--no-memory-check]
              Writes a random checkpoint of the shape (float32 on the CPU, float16 on a GPU) to --dir (default: a
              temporary folder, deleted afterwards unless --keep; an existing checkpoint in --dir is reused), loads it
              and reports load, vision, prefill and decode times, calls into libtorch and operators per decode step, and
              peak memory. Image encoding comes with its FLOPs, the GFLOP/s achieved, this machine's float GEMM peak
              measured around it in the same run, and the second encoding of the same image through the engine's
              image cache. --cache-tokens pads the context before decoding (e.g. 1024 to measure attention over a long cache).
              On the CPU it first checks that the weights fit in the memory available, as loading an engine does
              (--no-memory-check skips that). It also reports the bytes a decode step reads at batch 1, this machine's
              memory read bandwidth measured in the same run, and the decode floor they imply (bytes / bandwidth), and
              besides peak RSS the peak of anonymous resident memory (Linux), which leaves out the checkpoint's mapped
              pages.""";

    private static final Set<String> VALUED = Set.of("config", "device", "dtype", "quantization", "dir", "prompt-tokens", "cache-tokens",
            "decode-steps", "batches", "repeat");
    private static final Set<String> FLAGS = Set.of("keep", "json", "no-memory-check");

    private BenchCommand() {
    }

    static void run(String[] argv, PrintStream out) throws Exception {
        Args args = Args.parse(argv, 1, VALUED, FLAGS);
        MllamaConfig config = BenchConfigs.resolve(args.string("config", "small"));
        int promptTokens = args.integer("prompt-tokens", 64);
        int cacheTokens = args.integer("cache-tokens", 0);
        int steps = args.integer("decode-steps", 32);
        int repeat = args.integer("repeat", 3);
        List<Integer> batches = args.integers("batches", List.of(1, 4));
        String deviceName = args.string("device", "auto");
        String dtypeName = args.string("dtype", "auto");
        EngineOptions settings = EngineOptions.builder().device(deviceName).dtype(dtypeName)
                .quantization(args.string("quantization", "none")).build();
        ComputeDevice device = ComputeDevice.open(settings.device(), settings.dtype(), settings.quantization());
        boolean temporary = !args.has("dir");
        Path dir = temporary ? Files.createTempDirectory("llava-o1-bench") : Path.of(args.required("dir"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", args.string("config", "small"));
        report.put("device", device.device());
        report.put("dtype", device.dtype());
        report.put("quantization", device.quantization());
        report.put("cpus", Runtime.getRuntime().availableProcessors());
        Subject subject = null;
        AnonRssSampler anon = AnonRssSampler.start();
        try {
            if (!args.has("no-memory-check")) {
                // before minutes of writing weights that could not be loaded here
                MemoryCheck.check(dir, config, device, MemoryCheck::available, "--no-memory-check");
            }
            if (!Files.exists(dir.resolve("config.json"))) {
                TensorDType weights = device.isGpu() ? TensorDType.F16 : TensorDType.F32;
                long start = System.nanoTime();
                RandomCheckpoint.write(config, dir, weights, 1234, 4L << 30, null, line -> System.err.println("[bench] " + line));
                report.put("random_weights_write_s", (System.nanoTime() - start) / 1e9);
            }
            try (Checkpoint checkpoint = Checkpoint.open(dir)) {
                report.put("parameters", checkpoint.totalBytes() / checkpoint.tensor(
                        io.github.llavao1.engine.checkpoint.WeightNames.lmHead()).dtype().bytes());
                long start = System.nanoTime();
                subject = new Subject(LoadedModel.load(checkpoint, device, (tensor, bytes) -> { }));
                double loadSeconds = (System.nanoTime() - start) / 1e9;
                report.put("load_s", loadSeconds);
                report.put("load_gb_per_s", checkpoint.totalBytes() / 1e9 / loadSeconds);
                measure(subject, config, promptTokens, cacheTokens, steps, repeat, batches, report);
            }
        } finally {
            anon.stop();
            if (subject != null) {
                subject.close();
            }
            if (temporary && !args.flag("keep")) {
                deleteRecursively(dir);
            } else {
                System.err.println("[bench] random checkpoint kept in " + dir);
            }
        }
        report.put("peak_rss_gb", peakRssGigabytes());
        if (anon.peakBytes() >= 0) {
            report.put("peak_anon_rss_gb", anon.peakBytes() / 1e9);
        } else {
            report.put("peak_anon_rss_gb_note", "not measured: RssAnon comes from Linux's /proc/self/status");
        }
        report.put("peak_heap_gb", peakHeapGigabytes());
        // after the peaks are read (the 2 GB it reads would count in them) and after the model is closed
        floor(config, device, steps, report);
        if (args.flag("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            report.forEach((k, v) -> out.printf("%-40s %s%n", k, v instanceof Double d ? String.format("%.3f", d) : v));
        }
    }

    /** The model under test and the request state measured on it. */
    private static final class Subject implements AutoCloseable {
        final LoadedModel model;
        CrossAttentionStatesHandle states;
        KvCacheHandle prefill;

        Subject(LoadedModel model) {
            this.model = model;
        }

        @Override
        public void close() {
            if (prefill != null) {
                prefill.close();
            }
            if (states != null) {
                states.close();
            }
            model.close();
        }
    }

    private static void measure(Subject subject, MllamaConfig config, int promptTokens, int cacheTokens, int steps,
            int repeat, List<Integer> batches, Map<String, Object> report) throws IOException {
        ProcessedImage image = randomImage(config);
        int[] prompt = prompt(config, promptTokens);
        long[] tileMask = CrossAttentionMask.dense(prompt, config.imageTokenIndex(), new int[] {image.numTiles()},
                config.vision().maxNumTiles());
        // vision + projector + cross-attention K/V, once per request, between two GEMM peak measurements
        LoadedModel model = subject.model;
        double peakBefore = model.device().gemmPeakGflops();
        List<Double> visionMillis = new ArrayList<>();
        for (int i = 0; i <= repeat; i++) {
            if (subject.states != null) {
                subject.states.close();
            }
            long start = System.nanoTime();
            subject.states = model.encodeImages(List.of(image));
            if (i > 0) {
                visionMillis.add((System.nanoTime() - start) / 1e6);
            }
        }
        // one more encoding under libtorch's profiler: the operators the vision tower runs per image
        Path trace = Files.createTempFile("llava-o1-bench-vision-trace", ".json");
        JniUtils.startProfile(false, false, false);
        model.encodeImages(List.of(image)).close();
        JniUtils.stopProfile(trace.toString());
        report.put("image_encode_aten_ops", (double) topLevelOperators(trace));
        Files.deleteIfExists(trace);
        double peak = Math.max(peakBefore, model.device().gemmPeakGflops());
        double encodeMillis = median(visionMillis);
        double flops = imageEncodeFlops(config);
        report.put("image_encode_ms", encodeMillis);
        report.put("image_encode_gflop", flops / 1e9);
        report.put("image_encode_gflop_per_s", flops / 1e6 / encodeMillis);
        report.put("gemm_peak_gflop_per_s", peak);
        report.put("image_encode_fraction_of_gemm_peak", flops / 1e6 / encodeMillis / peak);
        report.put("image_encode_cached_ms", cachedEncodeMillis(model, image));
        // prefill: one 4-tile image + prompt tokens
        List<Double> prefillMillis = new ArrayList<>();
        for (int i = 0; i <= repeat; i++) {
            if (subject.prefill != null) {
                subject.prefill.close();
            }
            subject.prefill = model.newCache(prompt.length + cacheTokens + steps + 8);
            long start = System.nanoTime();
            forward(subject, subject.prefill, prompt, tileMask);
            if (i > 0) {
                prefillMillis.add((System.nanoTime() - start) / 1e6);
            }
        }
        report.put("prefill_ms", median(prefillMillis));
        report.put("prompt_tokens", prompt.length);
        if (cacheTokens > 0) {
            int[] filler = new int[cacheTokens];
            Arrays.fill(filler, 1 % config.text().vocabSize());
            forward(subject, subject.prefill, filler, CrossAttentionMask.repeatRow(CrossAttentionMask.lastRow(tileMask, prompt.length),
                    cacheTokens));
        }
        long[] decodeRow = CrossAttentionMask.lastRow(tileMask, prompt.length);
        report.put("context_tokens_before_decode", subject.prefill.length());
        for (int batch : batches) {
            decode(subject, batch, steps, decodeRow, report);
        }
    }

    /** {@code steps} greedy decode steps of {@code batch} sequences forked from the prompt, then the same under the profiler. */
    private static void decode(Subject subject, int batch, int steps, long[] decodeRow, Map<String, Object> report) throws IOException {
        LoadedModel model = subject.model;
        // the decode rows' image mask is the prompt's last row for every step, as in generation
        try (DecodeBatch sequences = model.decodeBatch(subject.prefill, batch, 2 * steps + 8, subject.states, decodeRow)) {
            int[] next = new int[batch];
            List<Double> stepMillis = new ArrayList<>();
            int warmup = warmupSteps(steps);
            long calls = 0;
            for (int s = 0; s < steps; s++) {
                long start = System.nanoTime();
                long before = model.scriptNativeCalls();
                long[] ids = sequences.greedy(next);
                for (int b = 0; b < batch; b++) {
                    next[b] = (int) ids[b];
                }
                if (s >= warmup) {
                    stepMillis.add((System.nanoTime() - start) / 1e6);
                    calls += model.scriptNativeCalls() - before;
                }
            }
            String key = "decode_%s_batch_" + batch;
            report.put(String.format(key, "ms_per_step"), median(stepMillis));
            report.put(String.format(key, "tokens_per_s"), batch * 1000 / median(stepMillis));
            report.put(String.format(key, "native_calls_per_step"), (double) calls / stepMillis.size());
            // the same steps again under libtorch's profiler: operators per step
            Path trace = Files.createTempFile("llava-o1-bench-trace", ".json");
            int profiled = Math.min(steps, 8);
            JniUtils.startProfile(false, false, false);
            for (int s = 0; s < profiled; s++) {
                sequences.greedy(next);
            }
            JniUtils.stopProfile(trace.toString());
            report.put(String.format(key, "aten_ops_per_step"), (double) topLevelOperators(trace) / profiled);
            Files.deleteIfExists(trace);
        }
    }

    /** Decode steps run before the timed ones. */
    private static int warmupSteps(int steps) {
        return Math.min(4, steps / 4);
    }

    /**
     * The decode floor at batch 1: {@link #decodeBytesReadPerStep} at the context of the middle timed step (the median
     * step's), this machine's {@link MemoryBandwidth memory read bandwidth}, their quotient, and the measured step
     * time over it.
     */
    private static void floor(MllamaConfig config, ComputeDevice device, int steps, Map<String, Object> report) {
        if (!(report.get("context_tokens_before_decode") instanceof Integer before)) {
            return; // the run ended before decoding
        }
        // decode step s attends the context before it plus s + 1 tokens; the timed steps are warmup .. steps - 1
        long context = before + 1 + (warmupSteps(steps) + steps - 1) / 2;
        long bytes = decodeBytesReadPerStep(config, Quantization.parse(device.quantization()), device.elementBytes(), context);
        report.put("decode_bytes_read_per_step_batch_1", bytes);
        int threads = Math.max(1, device.isGpu() ? Runtime.getRuntime().availableProcessors() : JniUtils.getNumThreads());
        // the floor uses libtorch's vectorised read (what its kernels can get); the plain Java loop's figure stands beside it
        double gbPerSecond = MemoryBandwidth.libtorchReadGigabytesPerSecond(2L << 30, 5);
        report.put("memory_read_gb_per_s", gbPerSecond);
        report.put("memory_read_threads", threads);
        report.put("memory_read_java_loop_gb_per_s", MemoryBandwidth.readGigabytesPerSecond(2L << 30, threads, 5));
        double floorMillis = bytes / 1e6 / gbPerSecond;
        report.put("decode_floor_ms_per_step_batch_1", floorMillis);
        if (report.get("decode_ms_per_step_batch_1") instanceof Double measured) {
            report.put("decode_vs_floor_batch_1", measured / floorMillis);
        }
    }

    /**
     * Bytes one decode step of one sequence reads from memory with {@code contextTokens} positions in its KV cache (the
     * new token's included), weights stored as the engine stores them ({@code elementBytes} a compute-dtype element):
     * <pre>
     *   Σ over text layers of its step's weights:
     *       linear maps run per token (self: q|k|v, o, gate|up, down; cross: q, o, gate|up, down):
     *           quantization.bytes(N, K, e)   (int8 where K % 16 == 0: N·K + 4·N; otherwise, and with none: N·K·e)
     *       norms: input and post-attention (D·e each); cross layers also q_norm (hd·e)
     * + final norm D·e + LM head quantization.bytes(vocab, D, e)
     * + image keys and values: cross layers · 2 · KV heads · (max tiles · patches per tile) · hd · e
     * + KV cache: self-attention layers · 2 · KV heads · contextTokens · hd · e
     * </pre>
     * Left out: the embedding table (a step reads one row), the cross layers' k_proj, v_proj and k_norm (they make the
     * image's keys and values once per request), the scalar gates and RoPE's inverse frequencies (a few bytes), the
     * vision tower, and activations (a few rows, in cache). The image is the bench's: one image of max tiles.
     */
    static long decodeBytesReadPerStep(MllamaConfig config, Quantization quantization, int elementBytes, long contextTokens) {
        TextConfig t = config.text();
        long bytes = 0;
        int crossLayers = 0;
        for (int i = 0; i < t.numHiddenLayers(); i++) {
            boolean cross = t.isCrossAttentionLayer(i);
            crossLayers += cross ? 1 : 0;
            for (LayerWeights.Entry<TextConfig> entry : LayerWeights.decoderLayer(cross)) {
                if (entry.isGate() || entry == LayerWeights.CrossAttentionDecoderLayer.K_PROJ
                        || entry == LayerWeights.CrossAttentionDecoderLayer.V_PROJ
                        || entry == LayerWeights.CrossAttentionDecoderLayer.K_NORM) {
                    continue;
                }
                Quantization stored = entry.isQuantizable() ? quantization : Quantization.NONE;
                for (LayerWeights.Tensor<TextConfig> tensor : entry.tensors()) {
                    long[] shape = tensor.shape().apply(t);
                    bytes += shape.length == 2 ? stored.bytes(shape[0], shape[1], elementBytes)
                            : Arrays.stream(shape).reduce(1, Math::multiplyExact) * elementBytes;
                }
            }
        }
        bytes += (long) t.hiddenSize() * elementBytes + quantization.bytes(t.vocabSize(), t.hiddenSize(), elementBytes);
        long kvRow = 2L * t.numKeyValueHeads() * t.headDim() * elementBytes;
        long imagePositions = (long) config.vision().maxNumTiles() * config.vision().numPatches();
        bytes += crossLayers * kvRow * imagePositions;
        bytes += (t.numHiddenLayers() - crossLayers) * kvRow * contextTokens;
        return bytes;
    }

    private static final Pattern EVENT = Pattern.compile(
            "\\{\\s*\"name\":\\s*\"([^\"]*)\",\\s*\"ph\":\\s*\"X\",\\s*\"ts\":\\s*([0-9.]+),\\s*\"dur\":\\s*([0-9.]+),\\s*\"tid\":\\s*(\\d+)");

    /**
     * aten:: operators in a libtorch profiler trace that no other aten:: operator encloses: the calls the interpreter
     * (or DJL) made, not the kernels those calls dispatch to internally.
     */
    static long topLevelOperators(Path trace) throws IOException {
        record Event(double start, double end, String thread) {
        }
        List<Event> events = new ArrayList<>();
        Matcher m = EVENT.matcher(Files.readString(trace));
        while (m.find()) {
            if (m.group(1).startsWith("aten::")) {
                double start = Double.parseDouble(m.group(2));
                events.add(new Event(start, start + Double.parseDouble(m.group(3)), m.group(4)));
            }
        }
        events.sort(Comparator.comparingDouble(Event::start));
        Map<String, Double> openUntil = new HashMap<>();
        long topLevel = 0;
        for (Event e : events) {
            if (e.start() >= openUntil.getOrDefault(e.thread(), Double.NEGATIVE_INFINITY)) {
                topLevel++;
                openUntil.put(e.thread(), e.end());
            }
        }
        return topLevel;
    }

    /** The second encoding of the same image through an engine's {@link ImageCache}: a lookup, no vision tower. */
    private static double cachedEncodeMillis(LoadedModel model, ProcessedImage image) {
        try (ImageCache cache = new ImageCache(model, Long.MAX_VALUE)) {
            cache.encode(List.of(image)).close();
            long start = System.nanoTime();
            cache.encode(List.of(image)).close();
            double millis = (System.nanoTime() - start) / 1e6;
            if (cache.stats().hits() != 1 || cache.stats().misses() != 1) {
                throw new IllegalStateException("the second encoding missed the image cache: " + cache.stats());
            }
            return millis;
        }
    }

    /**
     * Multiply-adds ×2 of every matrix product in one image's encoding: patch embedding; per vision layer the
     * q|k|v and o projections, scores and weighted values over the whole padded sequence (S = tiles × padded
     * patches), and the MLP; the projector; every cross-attention layer's K and V projections.
     */
    static double imageEncodeFlops(MllamaConfig config) {
        VisionConfig v = config.vision();
        TextConfig t = config.text();
        double d = v.hiddenSize();
        double seq = (double) v.maxNumTiles() * v.paddedPatches();
        double positions = (double) v.maxNumTiles() * v.numPatches();
        double patchPixels = (double) v.numChannels() * v.patchSize() * v.patchSize();
        double patchEmbedding = 2 * v.maxNumTiles() * Math.pow(v.patchesPerSide(), 2) * patchPixels * d;
        double perLayer = 2 * seq * d * 4 * d + 2 * 2 * seq * seq * d + 2 * 2 * seq * d * v.intermediateSize();
        double layers = v.numHiddenLayers() + v.numGlobalLayers();
        double projector = 2 * positions * v.visionOutputDim() * t.hiddenSize();
        double crossKv = t.crossAttentionLayers().size() * 2 * (2 * positions * t.hiddenSize() * t.numKeyValueHeads() * t.headDim());
        return patchEmbedding + layers * perLayer + projector + crossKv;
    }

    private static void forward(Subject subject, KvCacheHandle cache, int[] tokens, long[] tileMask) {
        subject.model.read(cache, tokens, subject.states, tileMask, false);
    }

    /** BOS, {@code <|image|>}, then random ordinary tokens: {@code tokens} in all. */
    private static int[] prompt(MllamaConfig config, int tokens) {
        SplittableRandom random = new SplittableRandom(7);
        int[] ids = new int[Math.max(2, tokens)];
        ids[0] = config.text().bosTokenId();
        ids[1] = config.imageTokenIndex();
        for (int i = 2; i < ids.length; i++) {
            ids[i] = random.nextInt(Math.min(config.text().vocabSize(), 100_000));
        }
        return ids;
    }

    /** A 2×2-tile image of random normalised pixels (the tile grid LLaVA-o1 uses for square pictures). */
    private static ProcessedImage randomImage(MllamaConfig config) {
        int tiles = config.vision().maxNumTiles();
        int size = config.vision().imageSize();
        List<AspectRatio> ratios = config.vision().supportedAspectRatios();
        int id = 1;
        for (int i = 0; i < ratios.size(); i++) {
            if (ratios.get(i).tiles() == tiles) {
                id = i + 1;
            }
        }
        AspectRatio grid = ratios.get(id - 1);
        float[] pixels = new float[tiles * 3 * size * size];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (random.nextDouble() * 4 - 2);
        }
        int[] mask = new int[tiles];
        Arrays.fill(mask, 0, grid.tiles(), 1);
        return new ProcessedImage(pixels, grid.tiles(), grid.rows(), grid.cols(), id, mask);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    /** Peak resident set size of this process (VmHWM), in GB; NaN where /proc is unavailable. */
    static double peakRssGigabytes() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmHWM:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1e6).orElse(Double.NaN);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double peakHeapGigabytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum() / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
