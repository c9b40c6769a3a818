package io.github.llavao1.quarkus.runtime.config;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigGroup;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** How a {@code model-id} is fetched from the Hugging Face Hub and where it is cached. */
@ConfigGroup
public interface HubConfig {

    /**
     * The Hugging Face hub cache folder (the one holding {@code models--Owner--Name}); a model fetched there by
     * {@code huggingface-cli} or Python is reused as is.
     */
    @ConfigDocDefault("$HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub")
    Optional<Path> cacheDir();

    /**
     * Use only the cache, never the network; start-up fails naming the files the cache lacks. Also on when the
     * environment sets {@code HF_HUB_OFFLINE=1}.
     */
    @ConfigDocDefault("false")
    Optional<Boolean> offline();

    /** Token for gated or private models. */
    @ConfigDocDefault("$HF_TOKEN, or the token huggingface-cli login saved")
    Optional<String> token();

    /** The Hub's URL (a mirror, or a test server). */
    @ConfigDocDefault("$HF_ENDPOINT or https://huggingface.co")
    Optional<URI> endpoint();
}
