package io.github.llavao1.quarkus.runtime;

import io.github.llavao1.engine.LoadProgress;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The engines of the application's {@code llava-o1} models, one per model name, each shared by that name's chat
 * model, streaming chat model and tool. Closed when the application stops (including every dev-mode restart), which
 * frees the weights' device memory.
 */
public final class LlavaO1Engines implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LlavaO1Engines.class);

    /** One model's engine and whether it was asked to load at start-up. */
    public record Entry(LlavaEngineHandle handle, boolean eager) {
    }

    // Concurrent: the standalone tool adds its engine when first used, while health checks read. Sorted, so that
    // readiness lists the models in the same order every time.
    private final Map<String, Entry> entries = new ConcurrentSkipListMap<>();
    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    private final List<Thread> downloads = new CopyOnWriteArrayList<>();

    /**
     * Checks one model's device and checkpoint, opens its engine (loading the weights now when {@code eager}) and
     * keeps it under the model's name; see {@link ModelStartup}.
     */
    LlavaEngineHandle open(ModelSettings settings, boolean eager) {
        LlavaEngineHandle handle = ModelStartup.open(settings, eager, this);
        entries.put(settings.configName(), new Entry(handle, eager));
        return handle;
    }

    /** The engines by model name ({@code <default>} for the default model), sorted by name. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /**
     * A model's state as readiness reports it: {@code loaded}, {@code lazy, not loaded yet}, the download's progress
     * ({@code downloading 1.20/42.70 GB (3%), …}), {@code failed: …} or {@code not loaded}.
     */
    public String state(String configName) {
        Entry entry = entries.get(configName);
        if (entry == null) {
            return "unknown";
        }
        LlavaEngineHandle handle = entry.handle();
        if (handle.isLoaded()) {
            return "loaded";
        }
        if (handle.loadFailure() != null) {
            return "load failed: " + handle.loadFailure().getMessage();
        }
        if (!entry.eager()) {
            return "lazy, not loaded yet";
        }
        RuntimeException failure = failures.get(configName);
        if (failure != null) {
            return "failed: " + failure.getMessage();
        }
        LoadProgress download = handle.lastProgress();
        if (download != null && !download.done()) {
            return download.toString();
        }
        return handle.hubModel() != null ? "not loaded yet (" + handle.hubModel() + ")" : "not loaded";
    }

    /** Why a model's background download or load failed; null while it has not. */
    public RuntimeException failure(String configName) {
        return failures.get(configName);
    }

    void failed(String configName, RuntimeException e) {
        failures.put(configName, e);
    }

    /** A background download, interrupted when the application stops. */
    void background(Thread download) {
        downloads.add(download);
    }

    LlavaEngineHandle handle(String configName) {
        Entry entry = entries.get(configName);
        if (entry == null) {
            throw new IllegalStateException("No llava-o1 engine for model '" + configName + "'");
        }
        return entry.handle();
    }

    @Override
    public void close() {
        for (Thread download : downloads) {
            download.interrupt(); // the partial file stays in the cache and is resumed next time
        }
        for (Map.Entry<String, Entry> entry : entries.entrySet()) {
            try {
                entry.getValue().handle().close();
            } catch (RuntimeException e) {
                // Keep closing the others: each holds its own device memory.
                LOG.warnf(e, "Closing the llava-o1 engine of model '%s' failed", entry.getKey());
            }
        }
    }
}
