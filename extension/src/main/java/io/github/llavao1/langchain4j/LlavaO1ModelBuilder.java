package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.HubSettings;
import io.github.llavao1.hub.ModelDownloader;
import io.github.llavao1.reasoning.ReasoningSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The builder shared by {@link LlavaO1ChatModel} and {@link LlavaO1StreamingChatModel}. Every default is applied in
 * {@link #config()}, and nothing is loaded there: a model built from {@link #modelPath(Path)} loads its checkpoint on
 * the first request (or share one handle between models with {@link #engine(LlavaEngineHandle)}). A model built from
 * {@link #modelId(String)} fetches its checkpoint from the Hugging Face Hub into the Hugging Face cache on that first
 * request, unless the cache already has it.
 */
public abstract class LlavaO1ModelBuilder<B extends LlavaO1ModelBuilder<B>> {

    private LlavaEngineHandle engine;
    private Path modelPath;
    private String modelId;
    private String revision;
    private Path cacheDir;
    private Boolean offline;
    private String hubToken;
    private URI hubEndpoint;
    private String device;
    private String dtype;
    private Boolean doubleBos;
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

    /**
     * A Hugging Face Hub model id such as {@code Xkev/Llama-3.2V-11B-cot}, fetched into the Hugging Face cache (and
     * taken from there when it is complete); {@link #modelPath(Path)} wins when both are set.
     */
    public B modelId(String modelId) {
        this.modelId = modelId;
        return self();
    }

    /** Branch, tag or commit of {@link #modelId(String)}; default {@code main}. */
    public B revision(String revision) {
        this.revision = revision;
        return self();
    }

    /** The Hugging Face hub cache folder; default {@code HF_HUB_CACHE}, {@code $HF_HOME/hub} or {@code ~/.cache/huggingface/hub}. */
    public B cacheDir(Path cacheDir) {
        this.cacheDir = cacheDir;
        return self();
    }

    /** Use only the cache, never the network (also on when {@code HF_HUB_OFFLINE=1}). */
    public B offline(Boolean offline) {
        this.offline = offline;
        return self();
    }

    /** Token for gated or private models; default {@code HF_TOKEN} or the token {@code huggingface-cli login} saved. */
    public B hubToken(String token) {
        this.hubToken = token;
        return self();
    }

    /** The Hub's URL; default {@code HF_ENDPOINT} or {@code https://huggingface.co}. */
    public B hubEndpoint(URI endpoint) {
        this.hubEndpoint = endpoint;
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
            if (modelPath == null && modelId == null) {
                throw new IllegalArgumentException("modelPath or modelId (or engine) must be set");
            }
            EngineOptions.Builder options = EngineOptions.builder().device(device).dtype(dtype)
                    .maxImageBytes(policy.maxBytes()).maxImagePixels(policy.maxPixels());
            if (doubleBos != null) {
                options.doubleBos(doubleBos);
            }
            if (modelPath != null) {
                handle = LlavaEngineHandle.lazy(modelPath, options.build());
            } else {
                HubSettings hub = HubSettings.builder().endpoint(hubEndpoint).cacheDir(cacheDir).offline(offline)
                        .token(hubToken).build();
                handle = LlavaEngineHandle.fromHub(new HubModel(modelId, revision), new ModelDownloader(hub),
                        options.build(), null);
            }
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
