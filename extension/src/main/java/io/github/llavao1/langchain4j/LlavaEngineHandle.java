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

    /** Where the engine comes from: a checkpoint folder, a Hub model fetched first, or an engine already loaded. */
    private sealed interface Source permits Local, Hub, Loaded {

        /** Loads the engine; a Hub model from the folder it was fetched into. */
        LlavaEngine load(Path fetched);
    }

    private record Local(Path directory, EngineOptions options) implements Source {
        @Override
        public LlavaEngine load(Path fetched) {
            return LlavaEngine.load(directory, options);
        }
    }

    private record Hub(HubModel model, ModelDownloader downloader, EngineOptions options, Consumer<LoadProgress> progress)
            implements Source {
        @Override
        public LlavaEngine load(Path fetched) {
            return LlavaEngine.load(fetched, options, progress);
        }
    }

    private record Loaded() implements Source {
        @Override
        public LlavaEngine load(Path fetched) {
            // unreachable: such a handle has its engine until it is closed, and a closed handle loads nothing
            throw new IllegalStateException("an engine handle made of a loaded engine cannot load one");
        }
    }

    private final Source source;
    private LlavaEngine engine;
    private boolean closed;
    private RuntimeException loadFailure;
    private volatile Path fetchedPath;
    private volatile LoadProgress lastProgress;

    private LlavaEngineHandle(Source source, LlavaEngine engine) {
        this.source = source;
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
        return new LlavaEngineHandle(new Hub(Objects.requireNonNull(model, "model must not be null"),
                Objects.requireNonNull(downloader, "downloader must not be null"),
                Objects.requireNonNull(options, "options must not be null"), progress), null);
    }

    /** Wraps an engine the caller already loaded; {@link #close()} closes it. */
    public static LlavaEngineHandle of(LlavaEngine engine) {
        return new LlavaEngineHandle(new Loaded(), Objects.requireNonNull(engine, "engine must not be null"));
    }

    /** A handle that loads {@code modelPath} with {@code options} on the first {@link #get()}; nothing is read now. */
    public static LlavaEngineHandle lazy(Path modelPath, EngineOptions options) {
        return new LlavaEngineHandle(new Local(Objects.requireNonNull(modelPath, "modelPath must not be null"),
                Objects.requireNonNull(options, "options must not be null")), null);
    }

    /**
     * The engine, loading it first if needed.
     *
     * @throws io.github.llavao1.engine.checkpoint.CheckpointException naming the file when the checkpoint is unusable
     * @throws io.github.llavao1.hub.HubException naming the model and the files when a Hub model cannot be fetched
     * @throws IllegalStateException after {@link #close()}
     */
    public LlavaEngine get() {
        if (source instanceof Hub && fetchedPath == null) {
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
                    engine = source.load(fetchedPath);
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
        if (source instanceof Hub hub && fetchedPath == null) {
            synchronized (this) {
                checkOpen();
            }
            Consumer<LoadProgress> sink = p -> {
                lastProgress = p;
                if (hub.progress() != null) {
                    hub.progress().accept(p);
                }
            };
            fetchedPath = hub.downloader().fetch(hub.model(), hub.progress() != null ? sink : logged(sink));
        }
        return modelPath();
    }

    private void checkOpen() {
        if (closed) {
            Object what = modelPath() != null ? modelPath() : hubModel();
            throw new IllegalStateException("the LLaVA-o1 engine handle" + (what == null ? "" : " for " + what) + " is closed");
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
        return source instanceof Hub hub ? hub.model() : null;
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
        return source instanceof Local local ? local.directory() : fetchedPath;
    }

    /** A short model name for response metadata: the Hub model id, or the checkpoint directory's name. */
    String modelName() {
        if (source instanceof Hub hub) {
            return hub.model().id();
        }
        Path dir = source instanceof Local local ? local.directory() : engine != null ? engine.directory() : null;
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
