package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.reasoning.ReasoningSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The builder shared by {@link LlavaO1ChatModel} and {@link LlavaO1StreamingChatModel}. Every default is applied in
 * {@link #config()}, and nothing is loaded there: a model built from {@link #modelPath(Path)} loads its checkpoint on
 * the first request (or share one handle between models with {@link #engine(LlavaEngineHandle)}).
 */
public abstract class LlavaO1ModelBuilder<B extends LlavaO1ModelBuilder<B>> {

    private LlavaEngineHandle engine;
    private Path modelPath;
    private String device;
    private String dtype;
    private Boolean doubleBos;
    private Integer maxConcurrentRequests;
    private Integer maxQueuedRequests;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Integer maxTokens;
    private Long seed;
    private List<String> stopSequences;
    private ReasoningSettings reasoning;
    private Boolean includeStagesInText;
    private ImagePolicy imagePolicy;
    private List<ChatModelListener> listeners;
    private Boolean logRequests;
    private Boolean logResponses;

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** A shared engine handle; when given, modelPath, device and dtype are not used. */
    public B engine(LlavaEngineHandle handle) {
        this.engine = handle;
        return self();
    }

    public B modelPath(Path path) {
        this.modelPath = path;
        return self();
    }

    /** auto | cpu | gpu | gpu:N. */
    public B device(String device) {
        this.device = device;
        return self();
    }

    /** auto | float32 | float16. */
    public B dtype(String dtype) {
        this.dtype = dtype;
        return self();
    }

    /** Two BOS tokens per prompt, as LLaVA-o1 was trained (default on). */
    public B doubleBos(Boolean doubleBos) {
        this.doubleBos = doubleBos;
        return self();
    }

    /**
     * Requests the engine computes at once (default 2); more wait in line. Not used with a shared
     * {@link #engine(LlavaEngineHandle)}, whose options decide.
     */
    public B maxConcurrentRequests(Integer max) {
        this.maxConcurrentRequests = max;
        return self();
    }

    /**
     * Requests that may wait for a free slot (default 16); one more is refused at once with
     * {@link io.github.llavao1.engine.EngineBusyException}. Not used with a shared engine handle.
     */
    public B maxQueuedRequests(Integer max) {
        this.maxQueuedRequests = max;
        return self();
    }

    /** Candidate sampling temperature (0 = greedy); default: the reasoning settings' candidate temperature. */
    public B temperature(Double v) {
        this.temperature = v;
        return self();
    }

    public B topP(Double v) {
        this.topP = v;
        return self();
    }

    /** Candidate top-k (0 or null = off). */
    public B topK(Integer v) {
        this.topK = v;
        return self();
    }

    /** Cap on the answer's tokens, all four stages together. */
    public B maxTokens(Integer v) {
        this.maxTokens = v;
        return self();
    }

    public B seed(Long v) {
        this.seed = v;
        return self();
    }

    /** The response text ends before the first of these. */
    public B stopSequences(List<String> v) {
        this.stopSequences = v;
        return self();
    }

    /** The search: mode, candidates, budgets, judge settings; default {@link ReasoningSettings#defaults()}. */
    public B reasoning(ReasoningSettings settings) {
        this.reasoning = settings;
        return self();
    }

    /** AiMessage text = the whole staged answer (tags included) instead of the CONCLUSION. */
    public B includeStagesInText(Boolean v) {
        this.includeStagesInText = v;
        return self();
    }

    /** Which image references requests may use; default {@link ImagePolicy#defaults()} (inline data only). */
    public B imagePolicy(ImagePolicy policy) {
        this.imagePolicy = policy;
        return self();
    }

    public B listeners(List<ChatModelListener> listeners) {
        this.listeners = listeners;
        return self();
    }

    public B logRequests(Boolean v) {
        this.logRequests = v;
        return self();
    }

    public B logResponses(Boolean v) {
        this.logResponses = v;
        return self();
    }

    /** The builder's values with every default applied; validates but reads no file. */
    ModelConfig config() {
        ImagePolicy policy = imagePolicy != null ? imagePolicy : ImagePolicy.defaults();
        LlavaEngineHandle handle = engine;
        if (handle == null) {
            if (modelPath == null) {
                throw new IllegalArgumentException("modelPath (or engine) must be set");
            }
            EngineOptions.Builder options = EngineOptions.builder().device(device).dtype(dtype)
                    .maxImageBytes(policy.maxBytes()).maxImagePixels(policy.maxPixels());
            if (doubleBos != null) {
                options.doubleBos(doubleBos);
            }
            if (maxConcurrentRequests != null) {
                options.maxConcurrentRequests(maxConcurrentRequests);
            }
            if (maxQueuedRequests != null) {
                options.maxQueuedRequests(maxQueuedRequests);
            }
            handle = LlavaEngineHandle.lazy(modelPath, options.build());
        }
        ReasoningSettings settings = reasoning != null ? reasoning : ReasoningSettings.defaults();
        if (doubleBos != null) {
            settings = settings.toBuilder().doubleBos(doubleBos).build();
        }
        if (settings.sequential()) {
            throw new IllegalArgumentException("reasoning.sequential is a benchmarking mode of the engine backend; "
                    + "the chat models always run the cached, batched search");
        }
        LlavaO1ChatRequestParameters defaults = LlavaO1ChatRequestParameters.builder()
                .modelName(handle.modelName())
                .temperature(temperature != null ? temperature : settings.candidateTemperature())
                .topP(topP != null ? topP : settings.candidateTopP())
                .topK(topK)
                .maxOutputTokens(maxTokens)
                .stopSequences(stopSequences)
                .seed(seed != null ? seed : settings.seed())
                .reasoningMode(settings.mode())
                .candidates(settings.candidates())
                .build();
        RequestMapping.validate(defaults);
        return new ModelConfig(handle, settings, defaults, Boolean.TRUE.equals(includeStagesInText), policy,
                listeners == null ? List.of() : List.copyOf(listeners), Boolean.TRUE.equals(logRequests),
                Boolean.TRUE.equals(logResponses));
    }
}
