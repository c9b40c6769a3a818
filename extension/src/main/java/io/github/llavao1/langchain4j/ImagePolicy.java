package io.github.llavao1.langchain4j;

import io.github.llavao1.validation.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What image references a request may use, for chat {@code ImageContent} and tool arguments alike. Closed by
 * default: an image reference in a tool call is chosen by another model, so it must not become a way to read the
 * server's files or reach its internal network. Local files are read only under {@code allowedRoots} (after
 * resolving {@code ..} and symbolic links); URLs are fetched only from {@code allowedHosts}, without following
 * redirects, within {@code fetchTimeout} and {@code maxBytes}.
 *
 * @param maxBytes     largest encoded image (base64-decoded, read from disk or downloaded)
 * @param maxPixels    largest decoded image, width × height
 * @param allowedRoots directories local files may come from; empty refuses every file reference
 * @param allowedHosts host names (compared case-insensitively, any port) URLs may point at; empty refuses URLs
 * @param fetchTimeout limit on connecting to and downloading from an allowed host
 */
public record ImagePolicy(long maxBytes, long maxPixels, List<Path> allowedRoots, Set<String> allowedHosts,
                          Duration fetchTimeout) {

    public ImagePolicy {
        if (maxBytes < 1) {
            throw new InvalidSettingException("maxBytes", "must be >= 1, was " + maxBytes);
        }
        if (maxPixels < 1) {
            throw new InvalidSettingException("maxPixels", "must be >= 1, was " + maxPixels);
        }
        Objects.requireNonNull(allowedRoots, "allowedRoots must not be null (use an empty list)");
        Objects.requireNonNull(allowedHosts, "allowedHosts must not be null (use an empty set)");
        allowedRoots = allowedRoots.stream()
                .map(root -> Objects.requireNonNull(root, "allowedRoots must not contain null").toAbsolutePath().normalize())
                .toList();
        TreeSet<String> hosts = new TreeSet<>();
        for (String host : allowedHosts) {
            if (host == null || host.isBlank()) {
                throw new InvalidSettingException("allowedHosts", "must not contain a null or blank host");
            }
            hosts.add(host.trim().toLowerCase(Locale.ROOT));
        }
        allowedHosts = Set.copyOf(hosts);
        Objects.requireNonNull(fetchTimeout, "fetchTimeout must not be null");
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new InvalidSettingException("fetchTimeout", "must be positive, was " + fetchTimeout);
        }
    }

    /** 20 MiB, 50 megapixels, no local files, no URLs, 10 s. */
    public static ImagePolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder; the defaults are set here and nowhere else. */
    public static final class Builder {
        private long maxBytes = 20L * 1024 * 1024;
        private long maxPixels = 50_000_000L;
        private List<Path> allowedRoots = List.of();
        private Set<String> allowedHosts = Set.of();
        private Duration fetchTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        public Builder allowedRoots(List<Path> allowedRoots) {
            this.allowedRoots = allowedRoots;
            return this;
        }

        public Builder allowedHosts(Set<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
            return this;
        }

        public Builder fetchTimeout(Duration fetchTimeout) {
            this.fetchTimeout = fetchTimeout;
            return this;
        }

        public ImagePolicy build() {
            return new ImagePolicy(maxBytes, maxPixels, allowedRoots, allowedHosts, fetchTimeout);
        }
    }
}
