package io.github.llavao1.quarkus.runtime;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.DisabledChatModel;
import dev.langchain4j.model.chat.DisabledStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.langchain4j.LlavaO1ChatModel;
import io.github.llavao1.langchain4j.LlavaO1ReasoningTool;
import io.github.llavao1.langchain4j.LlavaO1StreamingChatModel;
import io.github.llavao1.quarkus.runtime.config.LlavaO1Config;
import io.github.llavao1.quarkus.runtime.config.LlavaO1ModelConfig;
import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Maps {@code quarkus.langchain4j.llava-o1.*} onto the LangChain4j adapter's builders: one engine per model name,
 * loaded at start-up or on first use, and the synthetic beans' factories.
 */
@Recorder
public class LlavaO1Recorder {

    private static final TypeLiteral<Instance<ChatModelListener>> LISTENERS = new TypeLiteral<>() {
    };
    private static final TypeLiteral<Instance<ModelBuilderCustomizer<LlavaO1ChatModel.Builder>>> CHAT_CUSTOMIZERS =
            new TypeLiteral<>() {
            };
    private static final TypeLiteral<Instance<ModelBuilderCustomizer<LlavaO1StreamingChatModel.Builder>>> STREAMING_CUSTOMIZERS =
            new TypeLiteral<>() {
            };

    private final RuntimeValue<LlavaO1Config> runtimeConfig;

    public LlavaO1Recorder(RuntimeValue<LlavaO1Config> runtimeConfig) {
        this.runtimeConfig = runtimeConfig;
    }

    /**
     * Opens the engine of every enabled model ({@link LlavaO1Engines#open}: checked now, loaded now when
     * {@code load=eager}), and closes them all when the application stops.
     */
    public RuntimeValue<LlavaO1Engines> engines(List<String> configNames, ShutdownContext shutdown) {
        LlavaO1Engines engines = new LlavaO1Engines();
        shutdown.addShutdownTask(engines::close);
        for (String configName : configNames) {
            LlavaO1ModelConfig config = config(configName);
            if (config.enableIntegration()) {
                engines.open(settings(configName), config.load() == LlavaO1ModelConfig.LoadMode.EAGER);
            }
        }
        return new RuntimeValue<>(engines);
    }

    public Supplier<LlavaO1Engines> enginesSupplier(RuntimeValue<LlavaO1Engines> engines) {
        return engines::getValue;
    }

    public Function<SyntheticCreationalContext<ChatModel>, ChatModel> chatModel(String configName,
            RuntimeValue<LlavaO1Engines> engines) {
        if (!config(configName).enableIntegration()) {
            return context -> new DisabledChatModel();
        }
        return context -> {
            LlavaO1ChatModel.Builder builder = chatModelBuilder(configName, engines.getValue());
            builder.listeners(context.getInjectedReference(LISTENERS).stream().toList());
            ModelBuilderCustomizer.applyCustomizers(
                    context.getInjectedReference(CHAT_CUSTOMIZERS, Any.Literal.INSTANCE), builder, configName);
            return builder.build();
        };
    }

    public Function<SyntheticCreationalContext<StreamingChatModel>, StreamingChatModel> streamingChatModel(
            String configName, RuntimeValue<LlavaO1Engines> engines) {
        if (!config(configName).enableIntegration()) {
            return context -> new DisabledStreamingChatModel();
        }
        return context -> {
            ModelSettings settings = settings(configName);
            LlavaO1StreamingChatModel.Builder builder = settings.applyTo(LlavaO1StreamingChatModel.builder())
                    .engine(engines.getValue().handle(configName));
            builder.listeners(context.getInjectedReference(LISTENERS).stream().toList());
            ModelBuilderCustomizer.applyCustomizers(
                    context.getInjectedReference(STREAMING_CUSTOMIZERS, Any.Literal.INSTANCE), builder, configName);
            return builder.build();
        };
    }

    /**
     * The reasoning tool of one model. A disabled model has no engine, so its tool refuses every call with the
     * property that disabled it.
     */
    public Function<SyntheticCreationalContext<LlavaO1ReasoningTool>, LlavaO1ReasoningTool> tool(String configName,
            RuntimeValue<LlavaO1Engines> engines) {
        if (!config(configName).enableIntegration()) {
            String property = LlavaO1Config.propertyPrefix(configName) + "enable-integration";
            return context -> {
                throw new IllegalStateException("The llava-o1 reasoning tool is disabled by " + property + "=false");
            };
        }
        return context -> new LlavaO1ReasoningTool(chatModelBuilder(configName, engines.getValue())
                .listeners(context.getInjectedReference(LISTENERS).stream().toList())
                .build());
    }

    /**
     * The default model's tool when no chat model of this provider was selected (the application's chat model is
     * another provider's, and only the tool is used): its engine is opened, lazily, when the tool is first used.
     */
    public Function<SyntheticCreationalContext<LlavaO1ReasoningTool>, LlavaO1ReasoningTool> standaloneTool(
            RuntimeValue<LlavaO1Engines> engines) {
        String configName = NamedConfigUtil.DEFAULT_NAME;
        return context -> {
            if (!config(configName).enableIntegration()) {
                throw new IllegalStateException("The llava-o1 reasoning tool is disabled by "
                        + LlavaO1Config.propertyPrefix(configName) + "enable-integration=false");
            }
            ModelSettings settings = settings(configName);
            LlavaEngineHandle handle = engines.getValue().open(settings, false);
            return new LlavaO1ReasoningTool(settings.applyTo(LlavaO1ChatModel.builder()).engine(handle)
                    .listeners(context.getInjectedReference(LISTENERS).stream().toList())
                    .build());
        };
    }

    private LlavaO1ChatModel.Builder chatModelBuilder(String configName, LlavaO1Engines engines) {
        return settings(configName).applyTo(LlavaO1ChatModel.builder()).engine(engines.handle(configName));
    }

    private ModelSettings settings(String configName) {
        return ModelSettings.of(configName, config(configName));
    }

    private LlavaO1ModelConfig config(String configName) {
        LlavaO1ModelConfig named = runtimeConfig.getValue().model(configName);
        if (named == null) {
            // @WithDefaults makes the map answer every key; this guards a mapping without it.
            throw new ConfigurationException("No configuration for llava-o1 model '" + configName + "': set "
                    + LlavaO1Config.propertyPrefix(configName) + "model-path", Set.of(LlavaO1Config.propertyPrefix(configName) + "model-path"));
        }
        return named;
    }
}
