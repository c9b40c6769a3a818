package io.github.llavao1.quarkus.runtime;

import io.github.llavao1.langchain4j.LlavaEngineHandle;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
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

    // Concurrent: the standalone tool adds its engine when first used, while health checks read.
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    void add(String configName, LlavaEngineHandle handle, boolean eager) {
        entries.put(configName, new Entry(handle, eager));
    }

    /** The engines by model name ({@code <default>} for the default model), in configuration order. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
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
