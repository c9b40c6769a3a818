package io.github.llavao1.langchain4j;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One loaded (or lazily loaded) engine shared by the chat model, the streaming model and the tool. Thread-safe: the
 * first {@link #get()} loads the checkpoint, once, while other callers wait; a failed load is rethrown and retried by
 * the next {@code get()}, so a transient problem (a file still being copied) does not poison the handle.
 */
public final class LlavaEngineHandle implements AutoCloseable {

    private final Path modelPath;
    private final EngineOptions options;
    private LlavaEngine engine;
    private boolean closed;
    private RuntimeException loadFailure;

    private LlavaEngineHandle(Path modelPath, EngineOptions options, LlavaEngine engine) {
        this.modelPath = modelPath;
        this.options = options;
        this.engine = engine;
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
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized LlavaEngine get() {
        if (closed) {
            throw new IllegalStateException("the LLaVA-o1 engine handle"
                    + (modelPath == null ? "" : " for " + modelPath) + " is closed");
        }
        if (engine == null) {
            try {
                engine = LlavaEngine.load(modelPath, options);
                loadFailure = null;
            } catch (RuntimeException e) {
                loadFailure = e;
                throw e;
            }
        }
        return engine;
    }

    /** Why the last load failed, or {@code null} when it did not fail (or a later one succeeded). */
    public synchronized RuntimeException loadFailure() {
        return loadFailure;
    }

    public synchronized boolean isLoaded() {
        return engine != null && !closed;
    }

    /** The checkpoint directory of a lazy handle; {@code null} for {@link #of(LlavaEngine)} handles. */
    public Path modelPath() {
        return modelPath;
    }

    /** A short model name for response metadata: the checkpoint directory's name. */
    String modelName() {
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
