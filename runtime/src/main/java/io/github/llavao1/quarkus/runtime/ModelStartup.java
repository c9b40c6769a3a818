package io.github.llavao1.quarkus.runtime;

import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import io.github.llavao1.engine.model.ComputeDevice;
import io.github.llavao1.hub.HubException;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.ModelDownloader;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Start-up of one model: its device and checkpoint are checked now, so that a wrong or broken one fails start-up even
 * with lazy loading, and for {@code load=eager} its weights are loaded. A model configured by {@code model-id} that
 * is complete in the Hugging Face cache (or any model in offline mode) is resolved now, without a request, and then
 * treated as a {@code model-path} model. One that must be downloaded is fetched in the background when eager
 * (readiness reports the download and stays down until the model is loaded), or by the first request when lazy, so
 * that start-up is not held for a 40 GB transfer. Every failure names the property it comes from.
 */
final class ModelStartup {

    private static final Logger LOG = Logger.getLogger(ModelStartup.class);

    private ModelStartup() {
    }

    /** @param engines where a background download registers itself and reports its failure */
    static LlavaEngineHandle open(ModelSettings settings, boolean eager, LlavaO1Engines engines) {
        if (settings.hubModel().isPresent()) {
            checkDevice(settings);
            return fromHub(settings, eager, engines);
        }
        return fromPath(settings, eager);
    }

    private static LlavaEngineHandle fromPath(ModelSettings settings, boolean eager) {
        String property = settings.property("model-path");
        Path path = settings.modelPath();
        if (!Files.isDirectory(path)) {
            throw new ConfigurationException(property + "=" + path + ": " + (Files.exists(path)
                    ? "not a directory; expected a checkpoint directory with config.json and *.safetensors"
                    : "no such directory (resolved to " + path.toAbsolutePath() + ")"), Set.of(property));
        }
        checkCheckpoint(property, path, path);
        checkDevice(settings);
        LlavaEngineHandle handle = LlavaEngineHandle.lazy(path, settings.engineOptions());
        if (eager) {
            LOG.infof("Loading llava-o1 model '%s' from %s=%s", settings.configName(), property, path);
            load(property, path, handle);
        }
        return handle;
    }

    private static LlavaEngineHandle fromHub(ModelSettings settings, boolean eager, LlavaO1Engines engines) {
        HubModel model = settings.hubModel().orElseThrow();
        ModelDownloader downloader = new ModelDownloader(settings.hubSettings());
        LlavaEngineHandle handle = LlavaEngineHandle.fromHub(model, downloader, settings.engineOptions(), null);
        String property = settings.property("model-id");
        if (downloader.settings().offline() || downloader.cached(model)) {
            Path snapshot = resolve(settings, handle, model);
            checkCheckpoint(property, model, snapshot);
            if (eager) {
                LOG.infof("Loading llava-o1 model '%s' from %s=%s (cached in %s)", settings.configName(), property, model,
                        snapshot);
                load(property, model, handle);
            }
            return handle;
        }
        if (eager) {
            LOG.infof("llava-o1 model '%s': %s=%s is not in the Hugging Face cache %s; downloading it in the background"
                    + " (readiness is down until it is loaded)", settings.configName(), property, model,
                    downloader.settings().cacheDir());
            Thread download = new Thread(() -> {
                try {
                    handle.get();
                    LOG.infof("llava-o1 model '%s' (%s) is downloaded and loaded", settings.configName(), model);
                } catch (RuntimeException e) {
                    engines.failed(settings.configName(), e);
                    LOG.errorf(e, "llava-o1 model '%s': fetching %s=%s failed", settings.configName(), property, model);
                }
            }, "llava-o1-download-" + settings.configName());
            download.setDaemon(true);
            engines.background(download);
            download.start();
        } else {
            LOG.infof("llava-o1 model '%s': %s=%s is not in the Hugging Face cache %s; the first request downloads it",
                    settings.configName(), property, model, downloader.settings().cacheDir());
        }
        return handle;
    }

    /** Fetches through the handle, which then loads that folder without checking the cache again. */
    private static Path resolve(ModelSettings settings, LlavaEngineHandle handle, HubModel model) {
        try {
            return handle.fetch();
        } catch (HubException e) {
            String property = settings.property("model-id");
            throw new ConfigurationException(property + "=" + model + ": " + e.getMessage(), e,
                    Set.of(property, settings.property("hub.offline")));
        }
    }

    /** A GPU device that is not there fails start-up, even for a lazy model that would fail only when first used. */
    private static void checkDevice(ModelSettings settings) {
        String device = settings.engineOptions().device();
        try {
            ComputeDevice.checkAvailable(device);
        } catch (IllegalArgumentException e) {
            String property = settings.property("device");
            throw new ConfigurationException(property + "=" + device + ": " + e.getMessage(), e, Set.of(property));
        }
    }

    /**
     * Opening reads config.json and the safetensors headers and checks every tensor's shape, without touching the
     * weights.
     *
     * @param value what {@code property} is set to, for the message
     */
    private static void checkCheckpoint(String property, Object value, Path directory) {
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            LOG.debugf("%s=%s: checkpoint %s with %d shard(s), %.2f GB", property, value, directory,
                    checkpoint.shards().size(), checkpoint.totalBytes() / 1e9);
        } catch (CheckpointException e) {
            throw new ConfigurationException(property + "=" + value + ": " + e.getMessage(), e, Set.of(property));
        }
    }

    private static void load(String property, Object value, LlavaEngineHandle handle) {
        try {
            handle.get();
        } catch (CheckpointException | HubException e) {
            throw new ConfigurationException(property + "=" + value + ": " + e.getMessage(), e, Set.of(property));
        }
    }
}
