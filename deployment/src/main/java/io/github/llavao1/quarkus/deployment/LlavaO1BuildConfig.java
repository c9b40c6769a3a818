package io.github.llavao1.quarkus.deployment;

import static io.quarkus.runtime.annotations.ConfigPhase.BUILD_TIME;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Build-time configuration of the {@code llava-o1} provider. */
@ConfigRoot(phase = BUILD_TIME)
@ConfigMapping(prefix = "quarkus.langchain4j.llava-o1")
public interface LlavaO1BuildConfig {

    /**
     * Whether every {@code model-id} (of the models this provider serves, and that have no {@code model-path}) is
     * fetched into the Hugging Face cache during the build, with progress in the build log, as the jlama provider
     * does, so that the application starts without downloading. The cache is the one the build sees
     * ({@code hub.cache-dir}, {@code HF_HUB_CACHE}, {@code HF_HOME}); the application finds the model there when it
     * runs on the same machine or is given the same cache folder.
     */
    @WithDefault("false")
    boolean downloadAtBuild();

    /**
     * Chat model build settings.
     */
    ChatModelBuildConfig chatModel();

    /**
     * Health check build settings.
     */
    HealthBuildConfig health();

    /**
     * Metrics build settings.
     */
    MetricsBuildConfig metrics();

    @ConfigGroup
    interface ChatModelBuildConfig {
        /**
         * Whether {@code llava-o1} is offered as a chat model provider. When {@code false}, this extension produces
         * no {@code ChatModel} or {@code StreamingChatModel} bean.
         */
        @ConfigDocDefault("true")
        Optional<Boolean> enabled();
    }

    @ConfigGroup
    interface HealthBuildConfig {
        /**
         * Whether the readiness health check (every model loaded) is registered when {@code quarkus-smallrye-health}
         * is present.
         */
        @WithDefault("true")
        boolean enabled();
    }

    @ConfigGroup
    interface MetricsBuildConfig {
        /**
         * Whether reasoning metrics (tokens per second, latency per stage, judge calls) are recorded when
         * {@code quarkus-micrometer} is present.
         */
        @WithDefault("true")
        boolean enabled();
    }
}
