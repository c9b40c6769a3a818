package io.github.llavao1.hub;

import io.github.llavao1.validation.InvalidSettingException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the Hub is and where its files are cached, resolved the way {@code huggingface_hub} does (its
 * {@code constants.py}): values set on the builder win, then the environment.
 *
 * <ul>
 *   <li>endpoint: {@code HF_ENDPOINT}, else {@code https://huggingface.co}</li>
 *   <li>cache: {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 *       {@code ~/.cache/huggingface/hub}</li>
 *   <li>token: {@code HF_TOKEN}, else the file {@code HF_TOKEN_PATH} or {@code $HF_HOME/token} that
 *       {@code huggingface-cli login} writes</li>
 *   <li>offline: {@code HF_HUB_OFFLINE=1} (or {@code true}, {@code yes}, {@code on}) turns it on</li>
 * </ul>
 *
 * @param token the bearer token sent to the Hub (never to the CDN it redirects to); null for public models
 * @param timeout connect timeout, and the longest wait for a response's headers or its next bytes
 */
public record HubSettings(URI endpoint, Path cacheDir, String token, boolean offline, Duration timeout) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        Objects.requireNonNull(cacheDir, "cacheDir must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (endpoint.getScheme() == null || !Set.of("http", "https").contains(endpoint.getScheme())
                || endpoint.getHost() == null) {
            throw new InvalidSettingException("endpoint", "must be an http(s) URL, got '" + endpoint + "'");
        }
        String url = endpoint.toString();
        if (url.endsWith("/")) {
            endpoint = URI.create(url.substring(0, url.length() - 1)); // URLs are built as endpoint + "/path"
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSettingException("timeout", "must be positive, got " + timeout);
        }
    }

    /** Everything from the environment. */
    public static HubSettings fromEnvironment() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        // the token stays out of logs
        return "HubSettings[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", token=" + (token == null ? "none" : "set")
                + ", offline=" + offline + ", timeout=" + timeout + "]";
    }

    public static final class Builder {
        private URI endpoint;
        private Path cacheDir;
        private String token;
        private Boolean offline;
        private Duration timeout;

        private Builder() {
        }

        /** The Hub's base URL; default {@code HF_ENDPOINT} or {@code https://huggingface.co}. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The hub cache folder (the one holding {@code models--owner--name}); default as huggingface_hub. */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** true: use only the cache; false or null: online unless {@code HF_HUB_OFFLINE} is set. */
        public Builder offline(Boolean offline) {
            this.offline = offline;
            return this;
        }

        /** Default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public HubSettings build() {
            return build(System.getenv(), Path.of(System.getProperty("user.home")));
        }

        /** Resolves what was not set from {@code env} ({@code home} stands for {@code ~}). */
        HubSettings build(Map<String, String> env, Path home) {
            URI resolvedEndpoint = endpoint != null ? endpoint
                    : present(env.get("HF_ENDPOINT")) ? URI.create(stripSlash(env.get("HF_ENDPOINT"))) : DEFAULT_ENDPOINT;
            Path hfHome = present(env.get("HF_HOME")) ? Path.of(env.get("HF_HOME"))
                    : (present(env.get("XDG_CACHE_HOME")) ? Path.of(env.get("XDG_CACHE_HOME")) : home.resolve(".cache"))
                    .resolve("huggingface");
            Path resolvedCache = cacheDir != null ? cacheDir
                    : present(env.get("HF_HUB_CACHE")) ? Path.of(env.get("HF_HUB_CACHE")) : hfHome.resolve("hub");
            String resolvedToken = present(token) ? token.trim() : present(env.get("HF_TOKEN")) ? env.get("HF_TOKEN").trim()
                    : tokenFile(present(env.get("HF_TOKEN_PATH")) ? Path.of(env.get("HF_TOKEN_PATH")) : hfHome.resolve("token"));
            boolean resolvedOffline = Boolean.TRUE.equals(offline) || truthy(env.get("HF_HUB_OFFLINE"));
            return new HubSettings(resolvedEndpoint, resolvedCache, resolvedToken, resolvedOffline,
                    timeout != null ? timeout : Duration.ofSeconds(30));
        }

        private static String tokenFile(Path file) {
            try {
                if (Files.isRegularFile(file)) {
                    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
                    return text.isEmpty() ? null : text;
                }
            } catch (IOException e) {
                // an unreadable token file is the same as none: public models still work
            }
            return null;
        }

        private static boolean truthy(String value) {
            return value != null && Set.of("1", "true", "yes", "on").contains(value.trim().toLowerCase(Locale.ROOT));
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }

        private static String stripSlash(String url) {
            String trimmed = url.trim();
            return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        }
    }
}
