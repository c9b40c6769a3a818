package io.github.llavao1.quarkus.runtime;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.HubSettings;
import io.github.llavao1.langchain4j.ImagePolicy;
import io.github.llavao1.langchain4j.LlavaO1ModelBuilder;
import io.github.llavao1.quarkus.runtime.config.ChatModelConfig;
import io.github.llavao1.quarkus.runtime.config.ImageConfig;
import io.github.llavao1.quarkus.runtime.config.LlavaO1Config;
import io.github.llavao1.quarkus.runtime.config.LlavaO1ModelConfig;
import io.github.llavao1.quarkus.runtime.config.ReasoningConfig;
import io.github.llavao1.reasoning.JudgeStrategy;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.validation.InvalidSettingException;
import io.github.llavao1.validation.SamplingChecks;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One model's configuration, validated and translated into the engine's and the LangChain4j adapter's types. Every
 * failure names the property it comes from, so a bad {@code application.properties} fails start-up readably.
 *
 * @param configName the model's name ({@code <default>} for the default model)
 * @param prefix     its property prefix, {@code quarkus.langchain4j.llava-o1.} or
 *                   {@code quarkus.langchain4j.llava-o1."name".}
 * @param modelPath  the checkpoint directory, or null when the model comes by {@link #hubModel() model id}
 */
record ModelSettings(String configName, String prefix, Path modelPath, EngineOptions engineOptions,
                     ReasoningSettings reasoning, ImagePolicy imagePolicy, LlavaO1ModelConfig config) {

    static ModelSettings of(String configName, LlavaO1ModelConfig config) {
        String prefix = LlavaO1Config.propertyPrefix(configName);
        if (config.modelPath().isEmpty() && config.modelId().isEmpty()) {
            throw new ConfigurationException(prefix + "model-path is not set: point it at a LLaVA-o1 checkpoint directory"
                    + " (config.json, *.safetensors, tokenizer.json), or set " + prefix + "model-id to a Hugging Face model"
                    + " (e.g. Xkev/Llama-3.2V-11B-cot), or set " + prefix + "enable-integration=false",
                    Set.of(prefix + "model-path", prefix + "model-id"));
        }
        Path modelPath = config.modelPath().orElse(null);
        if (modelPath == null) {
            property(prefix, "", () -> new HubModel(config.modelId().get(), config.revision()));
        }
        EngineOptions engine = property(prefix, "", () -> EngineOptions.builder()
                .device(config.device())
                .dtype(config.dtype())
                .quantization(config.quantization())
                .doubleBos(config.reasoning().doubleBos())
                .maxImageBytes(config.image().maxBytes())
                .maxImagePixels(config.image().maxPixels())
                .imageCacheBytes(config.image().cacheSize().map(size -> size.asLongValue())
                        .orElse(EngineOptions.DEVICE_DEFAULT_IMAGE_CACHE))
                .maxConcurrentRequests(config.maxConcurrentRequests())
                .maxQueuedRequests(config.maxQueuedRequests())
                .checkMemory(config.checkMemory())
                .build());
        ReasoningSettings reasoning = property(prefix, "reasoning.", field -> reasoningProperty(field, config.reasoning()),
                () -> reasoningSettings(prefix, config.reasoning(), config.chatModel()));
        checkChatModel(prefix, config.chatModel());
        if (config.modelName().isPresent() && config.modelName().get().isBlank()) {
            throw invalid(prefix + "model-name", "must not be blank; leave it unset for the checkpoint's name");
        }
        if (config.timeout().isPresent() && (config.timeout().get().isNegative() || config.timeout().get().isZero())) {
            throw invalid(prefix + "timeout", "must be positive, was " + config.timeout().get());
        }
        ImagePolicy images = property(prefix, "image.", () -> imagePolicy(config.image()));
        return new ModelSettings(configName, prefix, modelPath, engine, reasoning, images, config);
    }

    /** The Hub model to fetch when {@code model-path} is not set. */
    Optional<HubModel> hubModel() {
        return modelPath != null ? Optional.empty()
                : Optional.of(new HubModel(config.modelId().orElseThrow(), config.revision()));
    }

    /** Where the Hub is and its cache, from {@code hub.*} and the environment. */
    HubSettings hubSettings() {
        return property(prefix, "hub.", () -> HubSettings.builder()
                .cacheDir(config.hub().cacheDir().orElse(null))
                .offline(config.hub().offline().orElse(null))
                .token(config.hub().token().orElse(null))
                .endpoint(config.hub().endpoint().orElse(null))
                .build());
    }

    /** Applies everything but the engine handle, which the caller shares between the models of one name. */
    <B extends LlavaO1ModelBuilder<B>> B applyTo(B builder) {
        ChatModelConfig chat = config.chatModel();
        chat.temperature().ifPresent(builder::temperature);
        chat.topP().ifPresent(builder::topP);
        chat.topK().ifPresent(builder::topK);
        chat.maxTokens().ifPresent(builder::maxTokens);
        chat.seed().ifPresent(builder::seed);
        chat.stopSequences().ifPresent(builder::stopSequences);
        config.logRequests().ifPresent(builder::logRequests);
        config.logResponses().ifPresent(builder::logResponses);
        config.modelName().ifPresent(builder::modelName);
        builder.ignoreOfferedTools(chat.ignoreOfferedTools());
        config.timeout().ifPresent(builder::timeout);
        return builder
                .includeStagesInText(chat.responseFormat() == ChatModelConfig.ResponseFormat.STAGED)
                .reasoning(reasoning)
                .imagePolicy(imagePolicy);
    }

    /** The name that selects this model's property, for error messages: {@code quarkus.langchain4j.llava-o1.model-path}. */
    String property(String name) {
        return prefix + name;
    }

    private static ReasoningSettings reasoningSettings(String prefix, ReasoningConfig r, ChatModelConfig chat) {
        ReasoningSettings.Builder builder = ReasoningSettings.builder()
                .mode(ReasoningMode.fromConfigName(r.mode().trim().toLowerCase(Locale.ROOT)))
                .candidates(r.candidates())
                .stages(stages(prefix, r.stages()))
                .candidateTemperature(r.candidateTemperature())
                .candidateTopP(r.candidateTopP())
                .judgeTemperature(r.judgeTemperature())
                .judgeTopP(r.judgeTopP())
                .maxTokens(r.maxTokens())
                .judgeMaxTokens(r.judgeMaxTokens())
                .reasoningPrecheck(r.reasoningPrecheck())
                .judgeStrategy(judgeStrategy(r.judgeStrategy()))
                .sequential(r.sequential());
        for (Stage stage : Stage.values()) {
            stageBudget(r, stage).ifPresent(budget -> builder.maxTokens(stage, budget));
        }
        if (chat.seed().isPresent()) {
            builder.seed(chat.seed().getAsLong());
        } else if (r.seed().isPresent()) {
            builder.seed(r.seed().getAsLong());
        }
        return builder.build();
    }

    /**
     * The request-level sampling values, which would otherwise be checked only per request, under the adapter's
     * parameter names (LangChain4j's {@code maxOutputTokens}, the search's {@code candidateTemperature}).
     */
    static void checkChatModel(String prefix, ChatModelConfig chat) {
        String group = prefix + "chat-model.";
        try {
            chat.temperature().ifPresent(t -> SamplingChecks.temperature(group + "temperature", t));
            chat.topP().ifPresent(p -> SamplingChecks.topP(group + "top-p", p));
            chat.topK().ifPresent(k -> SamplingChecks.topK(group + "top-k", k));
        } catch (InvalidSettingException e) {
            throw new ConfigurationException(e.getMessage(), Set.of(e.field()));
        }
        int stages = Stage.values().length;
        if (chat.maxTokens().isPresent() && chat.maxTokens().getAsInt() < stages) {
            throw invalid(group + "max-tokens", "must be at least " + stages + " (one token per stage), was "
                    + chat.maxTokens().getAsInt());
        }
    }

    private static ConfigurationException invalid(String property, String problem) {
        return new ConfigurationException(property + " " + problem, Set.of(property));
    }

    /** {@code <stage>-max-tokens}, which overrides {@code max-tokens} for that stage. */
    private static OptionalInt stageBudget(ReasoningConfig r, Stage stage) {
        return switch (stage) {
            case SUMMARY -> r.summaryMaxTokens();
            case CAPTION -> r.captionMaxTokens();
            case REASONING -> r.reasoningMaxTokens();
            case CONCLUSION -> r.conclusionMaxTokens();
        };
    }

    /** A stage's budget ({@code maxTokens[CAPTION]}) is set by its {@code <stage>-max-tokens}, else by max-tokens. */
    private static String reasoningProperty(String field, ReasoningConfig r) {
        for (Stage stage : Stage.values()) {
            if (field.equals("maxTokens[" + stage + "]")) {
                return stageBudget(r, stage).isPresent() ? stage.name().toLowerCase(Locale.ROOT) + "-max-tokens" : "max-tokens";
            }
        }
        return kebab(field);
    }

    private static Set<Stage> stages(String prefix, List<String> names) {
        EnumSet<Stage> stages = EnumSet.noneOf(Stage.class);
        for (String name : names) {
            try {
                stages.add(Stage.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("stages", "must name summary, caption, reasoning or conclusion, got '"
                        + name + "'");
            }
        }
        return stages;
    }

    private static JudgeStrategy judgeStrategy(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "self-judge" -> JudgeStrategy.SELF_JUDGE;
            case "first-candidate" -> JudgeStrategy.FIRST_CANDIDATE;
            default -> throw new InvalidSettingException("judgeStrategy",
                    "must be self-judge or first-candidate, got '" + name + "'");
        };
    }

    private static ImagePolicy imagePolicy(ImageConfig image) {
        return ImagePolicy.builder()
                .maxBytes(image.maxBytes())
                .maxPixels(image.maxPixels())
                .allowedRoots(image.allowedRoots().orElse(List.of()))
                .allowedHosts(image.allowedHosts().orElse(Set.of()))
                .fetchTimeout(image.fetchTimeout())
                .build();
    }

    /**
     * Runs a translation, naming the property of the field it rejects: {@code candidateTopP} in the group
     * {@code reasoning.} is {@code quarkus.langchain4j.llava-o1.reasoning.candidate-top-p}.
     */
    private static <T> T property(String prefix, String group, Supplier<T> translation) {
        return property(prefix, group, field -> PROPERTIES.getOrDefault(field, kebab(field)), translation);
    }

    /** @param properties a rejected field's property, relative to the group */
    private static <T> T property(String prefix, String group, UnaryOperator<String> properties, Supplier<T> translation) {
        try {
            return translation.get();
        } catch (InvalidSettingException e) {
            String property = prefix + group + properties.apply(e.field());
            throw new ConfigurationException(property + ": " + e.getMessage(), e, Set.of(property));
        }
    }

    /** Engine option fields whose property is not the field's name in kebab case. */
    private static final Map<String, String> PROPERTIES = Map.of(
            "maxImageBytes", "image.max-bytes", "maxImagePixels", "image.max-pixels", "imageCacheBytes", "image.cache-size");

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
