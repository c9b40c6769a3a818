package io.github.llavao1.quarkus.runtime.config;

import static io.quarkus.runtime.annotations.ConfigPhase.RUN_TIME;

import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;
import java.util.Map;

/**
 * Run-time configuration of the {@code llava-o1} provider: the default model under
 * {@code quarkus.langchain4j.llava-o1.*}, named models under {@code quarkus.langchain4j.llava-o1."name".*}.
 */
@ConfigRoot(phase = RUN_TIME)
@ConfigMapping(prefix = "quarkus.langchain4j.llava-o1")
public interface LlavaO1Config {

    /**
     * The default model.
     */
    @WithParentName
    LlavaO1ModelConfig defaultConfig();

    /**
     * Named models, injected with {@code @ModelName("name")} and selected with
     * {@code quarkus.langchain4j."name".chat-model.provider=llava-o1}.
     */
    @ConfigDocSection
    @ConfigDocMapKey("model-name")
    @WithParentName
    @WithDefaults
    Map<String, LlavaO1ModelConfig> namedConfig();

    /** The model named {@code configName} (the default one for the default name); null when there is none. */
    default LlavaO1ModelConfig model(String configName) {
        return NamedConfigUtil.isDefault(configName) ? defaultConfig() : namedConfig().get(configName);
    }

    /** The prefix of model {@code configName}'s properties: {@code quarkus.langchain4j.llava-o1.} or {@code …llava-o1."name".}. */
    static String propertyPrefix(String configName) {
        return NamedConfigUtil.isDefault(configName) ? "quarkus.langchain4j.llava-o1."
                : "quarkus.langchain4j.llava-o1.\"" + configName + "\".";
    }
}
