package io.github.llavao1.quarkus.deployment;

import static io.quarkiverse.langchain4j.deployment.LangChain4jDotNames.CHAT_MODEL;
import static io.quarkiverse.langchain4j.deployment.LangChain4jDotNames.STREAMING_CHAT_MODEL;

import io.github.llavao1.engine.EngineBusyException;
import io.github.llavao1.engine.PromptTooLongException;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.HubSettings;
import io.github.llavao1.hub.ModelDownloader;
import io.github.llavao1.langchain4j.LlavaO1ChatModel;
import io.github.llavao1.langchain4j.LlavaO1ReasoningTool;
import io.github.llavao1.langchain4j.LlavaO1StreamingChatModel;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.github.llavao1.quarkus.runtime.LlavaO1Metrics;
import io.github.llavao1.quarkus.runtime.LlavaO1ReadinessCheck;
import io.github.llavao1.quarkus.runtime.LlavaO1Recorder;
import io.github.llavao1.quarkus.runtime.config.LlavaO1Config;
import io.github.llavao1.quarkus.runtime.config.LlavaO1ModelConfig;
import io.github.llavao1.quarkus.runtime.rest.EngineBusyExceptionMapper;
import io.github.llavao1.quarkus.runtime.rest.InvalidImageExceptionMapper;
import io.github.llavao1.quarkus.runtime.rest.PromptTooLongExceptionMapper;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.langchain4j.deployment.DotNames;
import io.quarkiverse.langchain4j.deployment.items.ChatModelProviderCandidateBuildItem;
import io.quarkiverse.langchain4j.deployment.items.SelectedChatModelProviderBuildItem;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.resteasy.reactive.spi.ExceptionMapperBuildItem;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Singleton;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassType;
import org.jboss.jandex.DotName;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.Type;
import org.jboss.logging.Logger;

/**
 * Registers {@code llava-o1} as a quarkus-langchain4j chat model provider: offers the candidate, and for every model
 * name the core selected it for, produces the {@code ChatModel}, {@code StreamingChatModel} and reasoning-tool beans
 * (qualified with {@code @ModelName} for named models) over one shared engine.
 */
class LlavaO1Processor {

    private static final Logger LOG = Logger.getLogger(LlavaO1Processor.class);

    static final String PROVIDER = "llava-o1";
    private static final String FEATURE = "langchain4j-llava-o1";

    private static final DotName CHAT_BUILDER = DotName.createSimple(LlavaO1ChatModel.Builder.class);
    private static final DotName STREAMING_BUILDER = DotName.createSimple(LlavaO1StreamingChatModel.Builder.class);
    private static final DotName TOOL = DotName.createSimple(LlavaO1ReasoningTool.class);
    private static final AnnotationInstance ANY = AnnotationInstance.builder(Any.class).build();

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    void providerCandidate(LlavaO1BuildConfig config, BuildProducer<ChatModelProviderCandidateBuildItem> candidates) {
        if (config.chatModel().enabled().orElse(true)) {
            candidates.produce(new ChatModelProviderCandidateBuildItem(PROVIDER));
        }
    }

    /** The tool's {@code @Tool} method must be in the index for quarkus-langchain4j to generate its invoker. */
    @BuildStep
    AdditionalIndexedClassesBuildItem indexTool() {
        return new AdditionalIndexedClassesBuildItem(LlavaO1ReasoningTool.class.getName());
    }

    @BuildStep
    void optionalIntegrations(LlavaO1BuildConfig config, Capabilities capabilities,
            BuildProducer<HealthBuildItem> health, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            health.produce(new HealthBuildItem(LlavaO1ReadinessCheck.class.getName(), config.health().enabled()));
        }
        // quarkus-micrometer provides the metrics capability; the class check keeps other metrics providers out.
        if (capabilities.isPresent(Capability.METRICS) && config.metrics().enabled()
                && QuarkusClassLoader.isClassPresentAtRuntime("io.micrometer.core.instrument.MeterRegistry")) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(LlavaO1Metrics.class));
        }
    }

    /**
     * With Quarkus REST, the exceptions whose messages are meant for the client answer 400, 413 and 503 instead of
     * 500; at a priority below the default, so an application's own mapper for the same exception wins.
     */
    @BuildStep
    void exceptionMappers(Capabilities capabilities, BuildProducer<ExceptionMapperBuildItem> mappers) {
        if (!capabilities.isPresent(Capability.REST)) {
            return;
        }
        int priority = Priorities.USER + 1000;
        mappers.produce(new ExceptionMapperBuildItem(InvalidImageExceptionMapper.class.getName(),
                InvalidImageException.class.getName(), priority, true));
        mappers.produce(new ExceptionMapperBuildItem(PromptTooLongExceptionMapper.class.getName(),
                PromptTooLongException.class.getName(), priority, true));
        mappers.produce(new ExceptionMapperBuildItem(EngineBusyExceptionMapper.class.getName(),
                EngineBusyException.class.getName(), priority, true));
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void generateBeans(LlavaO1Recorder recorder, List<SelectedChatModelProviderBuildItem> selected,
            ShutdownContextBuildItem shutdown, BuildProducer<SyntheticBeanBuildItem> beans) {
        List<String> configNames = new ArrayList<>();
        for (SelectedChatModelProviderBuildItem item : selected) {
            if (PROVIDER.equals(item.getProvider())) {
                checkModelName(item.getConfigName());
                configNames.add(item.getConfigName());
            }
        }
        // Recorded even when no model uses the provider, so the health check always has its registry.
        RuntimeValue<LlavaO1Engines> engines = recorder.engines(configNames, shutdown);
        beans.produce(SyntheticBeanBuildItem.configure(LlavaO1Engines.class)
                .scope(Singleton.class)
                .setRuntimeInit()
                .unremovable()
                .supplier(recorder.enginesSupplier(engines))
                .done());

        for (String configName : configNames) {
            var chat = SyntheticBeanBuildItem.configure(CHAT_MODEL).setRuntimeInit().defaultBean()
                    .scope(ApplicationScoped.class)
                    .addInjectionPoint(instanceOf(ClassType.create(DotNames.CHAT_MODEL_LISTENER)))
                    .addInjectionPoint(instanceOf(customizerOf(CHAT_BUILDER)), ANY)
                    .createWith(recorder.chatModel(configName, engines));
            beans.produce(qualified(chat, configName).done());

            var streaming = SyntheticBeanBuildItem.configure(STREAMING_CHAT_MODEL).setRuntimeInit().defaultBean()
                    .scope(ApplicationScoped.class)
                    .addInjectionPoint(instanceOf(ClassType.create(DotNames.CHAT_MODEL_LISTENER)))
                    .addInjectionPoint(instanceOf(customizerOf(STREAMING_BUILDER)), ANY)
                    .createWith(recorder.streamingChatModel(configName, engines));
            beans.produce(qualified(streaming, configName).done());

            // @Singleton, not a normal scope: the tool class has no no-args constructor to proxy. A named model's
            // tool is a default bean, so that a lookup of the tool class with @Any (the Dev UI Chat page's, the
            // tool executors') resolves to the default model's tool instead of being ambiguous.
            var tool = SyntheticBeanBuildItem.configure(TOOL).setRuntimeInit().unremovable()
                    .scope(Singleton.class)
                    .addInjectionPoint(instanceOf(ClassType.create(DotNames.CHAT_MODEL_LISTENER)))
                    .createWith(recorder.tool(configName, engines));
            if (!NamedConfigUtil.isDefault(configName)) {
                tool.defaultBean();
            }
            beans.produce(qualified(tool, configName).done());
        }
        if (!configNames.contains(NamedConfigUtil.DEFAULT_NAME)) {
            // An application whose chat model is another provider's can still use the default model's tool.
            beans.produce(SyntheticBeanBuildItem.configure(TOOL).setRuntimeInit().unremovable()
                    .scope(Singleton.class)
                    .addInjectionPoint(instanceOf(ClassType.create(DotNames.CHAT_MODEL_LISTENER)))
                    .createWith(recorder.standaloneTool(engines))
                    .done());
        }
    }

    /** {@code download-at-build}: fetches the models by id now, so that start-up finds them in the cache. */
    @BuildStep
    @Produce(ServiceStartBuildItem.class)
    void downloadAtBuild(LlavaO1BuildConfig config, List<SelectedChatModelProviderBuildItem> selected) {
        if (!config.downloadAtBuild()) {
            return;
        }
        Config properties = ConfigProvider.getConfig();
        for (SelectedChatModelProviderBuildItem item : selected) {
            if (!PROVIDER.equals(item.getProvider())) {
                continue;
            }
            // by name: the run-time mapping is not registered at build time (SRCFG00027)
            String prefix = LlavaO1Config.propertyPrefix(item.getConfigName());
            Optional<String> modelId = properties.getOptionalValue(prefix + "model-id", String.class);
            if (modelId.isEmpty() || properties.getOptionalValue(prefix + "model-path", String.class).isPresent()) {
                continue;
            }
            HubModel model = new HubModel(modelId.get(),
                    properties.getOptionalValue(prefix + "revision", String.class).orElse(HubModel.DEFAULT_REVISION));
            HubSettings settings = HubSettings.builder()
                    .cacheDir(properties.getOptionalValue(prefix + "hub.cache-dir", Path.class).orElse(null))
                    .offline(properties.getOptionalValue(prefix + "hub.offline", Boolean.class).orElse(null))
                    .token(properties.getOptionalValue(prefix + "hub.token", String.class).orElse(null))
                    .endpoint(properties.getOptionalValue(prefix + "hub.endpoint", URI.class).orElse(null))
                    .build();
            LOG.infof("Fetching llava-o1 model %s into the Hugging Face cache %s at build time", model, settings.cacheDir());
            Path snapshot = new ModelDownloader(settings).fetch(model, ModelDownloader.logging());
            LOG.infof("llava-o1 model %s is in %s", model, snapshot);
        }
    }

    @BuildStep
    ReflectiveClassBuildItem reflection() {
        // The staged result is serialised by Jackson in REST endpoints and by the tool.
        return ReflectiveClassBuildItem.builder("io.github.llavao1.reasoning.ReasoningResult",
                "io.github.llavao1.reasoning.StageTrace", "io.github.llavao1.reasoning.Candidate",
                "io.github.llavao1.reasoning.Judgement", "io.github.llavao1.reasoning.Precheck")
                .methods().fields().build();
    }

    /**
     * Named models live beside the default model's keys ({@code @WithParentName}), so a model named like one of
     * its configuration groups ({@code reasoning}, {@code chat-model}, {@code image}, …) would share its keys with
     * the default model's group: the configuration would report them unrecognized and apply them anyway.
     */
    static void checkModelName(String configName) {
        if (configGroupNames().contains(configName)) {
            throw new ConfigurationException("The llava-o1 model name '" + configName + "' is also a configuration "
                    + "group: quarkus.langchain4j.llava-o1." + configName + ".* configures the default model. "
                    + "Give the model another name (quarkus.langchain4j.<name>.chat-model.provider=llava-o1, "
                    + "@ModelName(\"<name>\"))", Set.of("quarkus.langchain4j." + configName + ".chat-model.provider"));
        }
    }

    /** The kebab-case names of the groups under {@code quarkus.langchain4j.llava-o1.}, run time and build time. */
    private static Set<String> configGroupNames() {
        Set<String> names = new HashSet<>();
        for (Class<?> root : List.of(LlavaO1ModelConfig.class, LlavaO1BuildConfig.class)) {
            for (Method method : root.getMethods()) {
                if (method.getReturnType().isAnnotationPresent(ConfigGroup.class)) {
                    names.add(method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static SyntheticBeanBuildItem.ExtendedBeanConfigurator qualified(
            SyntheticBeanBuildItem.ExtendedBeanConfigurator bean, String configName) {
        if (!NamedConfigUtil.isDefault(configName)) {
            bean.addQualifier(AnnotationInstance.builder(ModelName.class).add("value", configName).build());
        }
        return bean;
    }

    private static Type instanceOf(Type type) {
        return ParameterizedType.create(DotNames.CDI_INSTANCE, new Type[] {type}, null);
    }

    private static Type customizerOf(DotName builder) {
        return ParameterizedType.create(DotNames.MODEL_BUILDER_CUSTOMIZER, new Type[] {ClassType.create(builder)}, null);
    }
}
