package io.github.llavao1.langchain4j;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.LoadProgress;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.ModelDownloader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One loaded (or lazily loaded) engine shared by the chat model, the streaming model and the tool. Thread-safe: the
 * first {@link #get()} loads the checkpoint, once, while other callers wait; a failed load is rethrown and retried by
 * the next {@code get()}, so a transient problem (a file still being copied) does not poison the handle. A handle
 * made {@link #fromHub from a Hub model id} first fetches the checkpoint into the Hugging Face cache (nothing is
 * fetched when it is there already), reporting the download and the load to the same progress listener.
 */
public final class LlavaEngineHandle implements AutoCloseable {

    private final Path modelPath;
    private final EngineOptions options;
    private LlavaEngine engine;
    private boolean closed;
    private RuntimeException loadFailure;
    private HubModel hubModel;
    private ModelDownloader downloader;
    private Consumer<LoadProgress> progress;
    private volatile Path fetchedPath;
    private volatile LoadProgress lastProgress;

    private LlavaEngineHandle(Path modelPath, EngineOptions options, LlavaEngine engine) {
        this.modelPath = modelPath;
        this.options = options;
        this.engine = engine;
    }

    /**
     * A handle that, on the first {@link #get()}, fetches {@code model} with {@code downloader} (from the cache when
     * it is complete there) and loads it; nothing is read or requested now.
     *
     * @param progress told about the download and then the load; null logs both
     */
    public static LlavaEngineHandle fromHub(HubModel model, ModelDownloader downloader, EngineOptions options,
            Consumer<LoadProgress> progress) {
        LlavaEngineHandle handle = new LlavaEngineHandle(null, Objects.requireNonNull(options, "options must not be null"),
                null);
        handle.hubModel = Objects.requireNonNull(model, "model must not be null");
        handle.downloader = Objects.requireNonNull(downloader, "downloader must not be null");
        handle.progress = progress;
        return handle;
    }

    /** Wraps an engine the caller already loaded; {@link #close()} closes it. */
    public static LlavaEngineHandle of(LlavaEngine engine) {
        return new LlavaEngineHandle(null, null, Objects.requireNonNull(engine, "engine must not be null"));
    }

    /** A handle that loads {@code modelPath} with {@code options} on the first {@link #get()}; nothing is read now. */
    public static LlavaEngineHandle lazy(Path modelPath, EngineOptions options) {
        return new LlavaEngineHandle(Objects.requireNonNull(modelPath, "modelPath must not be null"),
                Objects.requireNonNull(options, "options must not be null"), null);
    }

    /**
     * The engine, loading it first if needed.
     *
     * @throws io.github.llavao1.engine.checkpoint.CheckpointException naming the file when the checkpoint is unusable
     * @throws io.github.llavao1.hub.HubException naming the model and the files when a Hub model cannot be fetched
     * @throws IllegalStateException after {@link #close()}
     */
    public LlavaEngine get() {
        if (hubModel != null && fetchedPath == null) {
            synchronized (this) {
                checkOpen();
                if (engine != null) {
                    return engine;
                }
            }
            fetch();
        }
        synchronized (this) {
            checkOpen();
            if (engine == null) {
                try {
                    engine = hubModel != null ? LlavaEngine.load(fetchedPath, options, progress)
                            : LlavaEngine.load(modelPath, options);
                    loadFailure = null;
                } catch (RuntimeException e) {
                    loadFailure = e;
                    throw e;
                }
            }
            return engine;
        }
    }

    /**
     * Fetches a {@link #fromHub} handle's checkpoint now (from the cache when it is complete there) without loading
     * it, so that {@link #get()} later loads that folder without fetching again; the directory of any other lazy
     * handle. Runs outside the handle's lock, so that {@link #close()} during a long download does not wait for it;
     * concurrent callers share the work through the downloader's per-file locks.
     *
     * @throws io.github.llavao1.hub.HubException naming the model and the files when they cannot be fetched
     */
    public Path fetch() {
        if (hubModel != null && fetchedPath == null) {
            synchronized (this) {
                checkOpen();
            }
            Consumer<LoadProgress> sink = p -> {
                lastProgress = p;
                if (progress != null) {
                    progress.accept(p);
                }
            };
            fetchedPath = downloader.fetch(hubModel, progress != null ? sink : logged(sink));
        }
        return modelPath();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the LLaVA-o1 engine handle"
                    + (modelPath() == null ? hubModel == null ? "" : " for " + hubModel : " for " + modelPath())
                    + " is closed");
        }
    }

    /** Download progress goes to the log (the engine logs its own load progress) and to {@code sink}. */
    private static Consumer<LoadProgress> logged(Consumer<LoadProgress> sink) {
        Consumer<LoadProgress> log = ModelDownloader.logging();
        return p -> {
            sink.accept(p);
            log.accept(p);
        };
    }

    /** The Hub model this handle fetches; null for handles made from a path or an engine. */
    public HubModel hubModel() {
        return hubModel;
    }

    /** The last download progress of a {@link #fromHub} handle; null before the first report (or when cached). */
    public LoadProgress lastProgress() {
        return lastProgress;
    }

    /** Why the last load failed, or {@code null} when it did not fail (or a later one succeeded). */
    public synchronized RuntimeException loadFailure() {
        return loadFailure;
    }

    public synchronized boolean isLoaded() {
        return engine != null && !closed;
    }

    /**
     * The checkpoint directory of a lazy handle (for a {@link #fromHub} handle, its snapshot folder once fetched);
     * {@code null} for {@link #of(LlavaEngine)} handles.
     */
    public Path modelPath() {
        return modelPath != null ? modelPath : fetchedPath;
    }

    /** A short model name for response metadata: the Hub model id, or the checkpoint directory's name. */
    String modelName() {
        if (hubModel != null) {
            return hubModel.id();
        }
        Path dir = modelPath != null ? modelPath : (engine != null ? engine.directory() : null);
        return dir == null || dir.getFileName() == null ? "llava-o1" : dir.getFileName().toString();
    }

    /** Frees the model (device memory); idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
