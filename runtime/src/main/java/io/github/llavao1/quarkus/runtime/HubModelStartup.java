package io.github.llavao1.quarkus.runtime;

import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import io.github.llavao1.hub.HubException;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.ModelDownloader;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Path;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Start-up of a model configured by {@code model-id}. A model complete in the Hugging Face cache (or any model in
 * offline mode) is resolved now, without a request, and then treated as a {@code model-path} model: its checkpoint is
 * checked and, for {@code load=eager}, loaded during start-up. A model that must be downloaded is fetched in the
 * background when eager (readiness reports the download and stays down until the model is loaded), or by the first
 * request when lazy, so that start-up is not held for a 40 GB transfer.
 */
final class HubModelStartup {

    private static final Logger LOG = Logger.getLogger(HubModelStartup.class);

    private HubModelStartup() {
    }

    static LlavaEngineHandle open(ModelSettings settings, boolean eager, LlavaO1Engines engines) {
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
                load(settings, handle, property, model);
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

    private static void checkCheckpoint(String property, HubModel model, Path snapshot) {
        try (Checkpoint checkpoint = Checkpoint.open(snapshot)) {
            LOG.debugf("%s=%s: cached checkpoint with %d shard(s), %.2f GB", property, model, checkpoint.shards().size(),
                    checkpoint.totalBytes() / 1e9);
        } catch (CheckpointException e) {
            throw new ConfigurationException(property + "=" + model + ": " + e.getMessage(), e, Set.of(property));
        }
    }

    private static void load(ModelSettings settings, LlavaEngineHandle handle, String property, HubModel model) {
        try {
            handle.get();
        } catch (CheckpointException | HubException e) {
            throw new ConfigurationException(property + "=" + model + ": " + e.getMessage(), e, Set.of(property));
        }
    }
}
