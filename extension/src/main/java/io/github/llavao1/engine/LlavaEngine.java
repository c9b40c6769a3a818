package io.github.llavao1.engine;

import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import io.github.llavao1.engine.config.AspectRatio;
import io.github.llavao1.engine.config.GenerationConfig;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.PreprocessorConfig;
import io.github.llavao1.engine.image.ImageDecoder;
import io.github.llavao1.engine.image.ImageProcessor;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.image.RgbImage;
import io.github.llavao1.engine.model.LoadedModel;
import io.github.llavao1.engine.text.ChatTemplate;
import io.github.llavao1.engine.text.LlamaTokenizer;
import io.github.llavao1.engine.text.PromptEncoder;
import io.github.llavao1.engine.text.PromptMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * LLaVA-o1 (an Mllama checkpoint) loaded for inference: model weights on one device, tokenizer, chat template and
 * image processor. Thread-safe and meant to be shared; each request opens its own {@link Session}. Loading is
 * {@link EngineLoader}'s.
 *
 * <pre>{@code
 * try (LlavaEngine engine = LlavaEngine.load(Path.of("Llama-3.2V-11B-cot"));
 *      Session session = engine.newSession(List.of(engine.processImage(Path.of("chart.png"))))) {
 *     int[] prompt = engine.encodePrompt(List.of(PromptMessage.user(...)));
 *     GenerationResult r = session.generate(session.prefill(prompt), GenerationOptions.greedy(512), 1, null).get(0);
 * }
 * }</pre>
 */
public final class LlavaEngine implements AutoCloseable {

    private final Checkpoint checkpoint;
    private final LoadedModel model;
    private final LlamaTokenizer tokenizer;
    private final ChatTemplate chatTemplate = new ChatTemplate();
    private final PromptEncoder promptEncoder;
    private final ImageProcessor imageProcessor;
    private final ImageDecoder imageDecoder;
    private final EngineOptions options;
    private final ImageCache imageCache;
    private final Lifecycle lifecycle;
    private final RequestSlots requestSlots;
    private final SessionContext sessions;

    LlavaEngine(Checkpoint checkpoint, LoadedModel model, LlamaTokenizer tokenizer, EngineOptions options) {
        this.checkpoint = checkpoint;
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        this.requestSlots = new RequestSlots(options.maxConcurrentRequests(), options.maxQueuedRequests());
        this.promptEncoder = new PromptEncoder(tokenizer, options.doubleBos());
        MllamaConfig config = checkpoint.config();
        this.lifecycle = new Lifecycle(checkpoint.directory());
        this.imageProcessor = imageProcessor(config, checkpoint.preprocessor());
        this.imageDecoder = new ImageDecoder(options.maxImageBytes(), options.maxImagePixels());
        this.imageCache = new ImageCache(model, options.imageCacheBytes(model.device().isGpu()));
        GenerationConfig generation = checkpoint.generation();
        List<Integer> eos = generation != null && generation.eosTokenIds() != null && !generation.eosTokenIds().isEmpty()
                ? generation.eosTokenIds() : config.text().eosTokenIds();
        this.sessions = new SessionContext(model, imageCache, tokenizer, Set.copyOf(new LinkedHashSet<>(eos)),
                config.imageTokenIndex(), config.text().maxPositionEmbeddings(), lifecycle, new LongAdder());
    }

    public static LlavaEngine load(Path checkpointDir) {
        return load(checkpointDir, EngineOptions.defaults(), null);
    }

    public static LlavaEngine load(Path checkpointDir, EngineOptions options) {
        return load(checkpointDir, options, null);
    }

    /**
     * Opens and validates the checkpoint, then copies its weights to the device, converting to the compute dtype.
     *
     * @param progress receives load progress after every tensor; null logs it (INFO, every few seconds and per shard)
     * @throws CheckpointException naming the file and the problem when the checkpoint is unusable, and
     *     {@link InsufficientMemoryException} when its weights do not fit in the CPU memory available (unless
     *     {@link EngineOptions#checkMemory()} is off)
     */
    public static LlavaEngine load(Path checkpointDir, EngineOptions options, Consumer<LoadProgress> progress) {
        return load(checkpointDir, options, progress, MemoryCheck::available);
    }

    /** {@link #load(Path, EngineOptions, Consumer)} with what the memory check takes as the available memory. */
    static LlavaEngine load(Path checkpointDir, EngineOptions options, Consumer<LoadProgress> progress,
                            Supplier<OptionalLong> availableMemory) {
        return EngineLoader.load(checkpointDir, options, progress, availableMemory);
    }

    private static ImageProcessor imageProcessor(MllamaConfig config, PreprocessorConfig pre) {
        List<int[]> ratios = new ArrayList<>();
        for (AspectRatio ratio : config.vision().supportedAspectRatios()) {
            ratios.add(new int[] {ratio.rows(), ratio.cols()});
        }
        return new ImageProcessor(pre.tileHeight(), pre.maxImageTiles(), ratios, pre.imageMean(), pre.imageStd(), pre.rescaleFactor());
    }

    public MllamaConfig config() {
        return checkpoint.config();
    }

    public Path directory() {
        return checkpoint.directory();
    }

    public LlamaTokenizer tokenizer() {
        return tokenizer;
    }

    public EngineOptions options() {
        return options;
    }

    /** "cpu()" or "gpu(0)" and the compute dtype, for logs and benchmarks. */
    public String deviceDescription() {
        return model.device().toString();
    }

    /** The checkpoint's generation_config.json, or null when it has none. */
    public GenerationConfig generationConfig() {
        return checkpoint.generation();
    }

    public Set<Integer> eosTokenIds() {
        return sessions.eosTokenIds();
    }

    public int imageTokenId() {
        return sessions.imageTokenId();
    }

    /** Positions a sequence may have (the prompt and everything generated after it): max_position_embeddings. */
    public int contextLength() {
        return sessions.contextLength();
    }

    /**
     * Checks, before any compute, that a prompt of {@code promptTokens} and an answer of up to
     * {@code answerBudget} new tokens fit the context.
     *
     * @throws PromptTooLongException naming the counts when they do not
     */
    public void checkFits(int promptTokens, int answerBudget) {
        sessions.checkFits(promptTokens, answerBudget);
    }

    public ImageDecoder imageDecoder() {
        return imageDecoder;
    }

    public ImageProcessor imageProcessor() {
        return imageProcessor;
    }

    /**
     * Decodes (PNG, JPEG, …) and preprocesses an image; {@code source} names it in error messages. An image far
     * larger than the tiles need is decoded subsampled ({@link ImageProcessor#subsampling}).
     */
    public ProcessedImage processImage(byte[] encoded, String source) {
        return imageProcessor.process(imageDecoder.decode(encoded, source, imageProcessor::subsampling));
    }

    public ProcessedImage processImage(Path file) {
        RgbImage image = imageDecoder.decode(file, imageProcessor::subsampling);
        return imageProcessor.process(image);
    }

    /**
     * Renders the chat (Llama 3.2 Vision template) with the assistant header and encodes it, double BOS per options.
     * The messages' text is plain text: a special-token string in it is not read as a control token.
     */
    public int[] encodePrompt(List<PromptMessage> messages) {
        return promptEncoder.encode(chatTemplate.renderPrompt(messages, true));
    }

    /** Encodes an exact prompt string with its special tokens; no BOS is added. */
    public int[] encodeRaw(String prompt) {
        return tokenizer.encode(prompt);
    }

    /**
     * Opens a request; its images (possibly none) are encoded now, once. At most
     * {@link EngineOptions#maxConcurrentRequests()} sessions are open at once: a further one waits, in arrival
     * order, for one of them to close, and when {@link EngineOptions#maxQueuedRequests()} are already waiting it is
     * refused. Close every session (try-with-resources), or its slot stays taken.
     *
     * @throws EngineBusyException when the waiting line is full; nothing was allocated
     */
    public Session newSession(List<ProcessedImage> images) {
        Runnable release = requestSlots.acquire(lifecycle::closing, checkpoint.directory());
        try {
            return lifecycle.use(() -> new Session(sessions, images, release));
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }

    /** Diagnostic: requests (open sessions) computing now. */
    public int runningRequests() {
        return requestSlots.running();
    }

    /**
     * Diagnostic: tokens sampled by every request since the engine loaded (candidates and judges, finished or
     * cancelled). Shows that a cancelled request has stopped: the count stops growing.
     */
    public long sampledTokens() {
        return sessions.sampledTokens().sum();
    }

    /** Diagnostic: requests waiting for a slot now. */
    public int queuedRequests() {
        return requestSlots.waiting();
    }

    /** Hits, misses and size of the image-encoding cache (see {@link EngineOptions#imageCacheBytes()}). */
    public ImageCacheStats imageCacheStats() {
        return imageCache.stats();
    }

    /**
     * Diagnostic: native arrays currently alive in the model's manager tree (weights plus the state of requests in
     * flight), not counting the encodings the image cache keeps. Constant between requests when nothing leaks;
     * adapters and services use it in leak checks.
     */
    public int liveNativeArrays() {
        return lifecycle.use(() -> model.liveNativeArrays() - imageCache.nativeArrays());
    }

    /**
     * Frees the model. Generations running on other threads stop at their next decode step (finish reason
     * CANCELLED) and close waits for every call in flight to return before it frees native memory, so a request
     * racing a shutdown or a dev-mode restart gets an exception, never a crash. Later calls throw
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        lifecycle.close(() -> {
            imageCache.close();
            model.close();
            tokenizer.close();
            checkpoint.close();
        });
    }
}
