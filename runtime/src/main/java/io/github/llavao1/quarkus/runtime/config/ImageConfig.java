package io.github.llavao1.quarkus.runtime.config;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which image references a request may use ({@code io.github.llavao1.langchain4j.ImagePolicy}), for chat
 * {@code ImageContent} and tool arguments alike. Inline (base64) images are always accepted within the size limits.
 */
@ConfigGroup
public interface ImageConfig {

    /**
     * Largest encoded image accepted, in bytes.
     */
    @WithDefault("20971520")
    long maxBytes();

    /**
     * Largest decoded image accepted, in pixels (width × height).
     */
    @WithDefault("50000000")
    long maxPixels();

    /**
     * Directories whose files ({@code file:} URIs and paths) may be read as images; unset, local files are refused.
     */
    Optional<List<Path>> allowedRoots();

    /**
     * Hosts from which {@code http(s)} image URLs may be fetched; unset, URLs are refused.
     */
    Optional<Set<String>> allowedHosts();

    /**
     * Time limit for fetching one image URL.
     */
    @WithDefault("10s")
    Duration fetchTimeout();

    /**
     * Memory for encoded images kept for later requests with the same image (same bytes, or the same pixels after
     * preprocessing): a multi-turn chat about one picture, or the reasoning tool called twice on it, skips the vision
     * tower. Least recently used encodings are dropped first; {@code 0} turns the cache off. Default: 1G on the CPU,
     * 2G on a GPU (an image of the 11B model takes about 420 MB in float32, 210 MB in float16).
     */
    @ConfigDocDefault("1G on the CPU, 2G on a GPU")
    Optional<MemorySize> cacheSize();
}
