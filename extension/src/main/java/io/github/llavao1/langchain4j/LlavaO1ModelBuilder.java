package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.hub.HubModel;
import io.github.llavao1.hub.HubSettings;
import io.github.llavao1.hub.ModelDownloader;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.validation.InvalidSettingException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
    private String quantization;
    private Boolean doubleBos;
    private Long imageCacheBytes;
    private Integer maxConcurrentRequests;
    private Integer maxQueuedRequests;
    private Boolean checkMemory;
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
    private String modelName;
    private Duration timeout;
    private Boolean ignoreOfferedTools;
    private ChatRequestParameters defaultRequestParameters;

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * A shared engine handle, whose engine options decide: the model source and engine settings (modelPath, modelId
     * and the Hub settings, device, dtype, quantization, doubleBos, imageCacheBytes, maxConcurrentRequests, maxQueuedRequests,
     * checkMemory) cannot be set with it, and {@link #config()} rejects them naming the first one set.
     */
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

    /**
     * none (default) | int8: the text decoder's linear maps quantized to int8 per output channel while loading, about a
     * quarter of float32's memory and faster decoding on x86 CPUs with AVX512-BF16 (CPU only, in float32).
     */
    public B quantization(String quantization) {
        this.quantization = quantization;
        return self();
    }

    /** Two BOS tokens per prompt, as LLaVA-o1 was trained (default on): an option of the engine this builder loads. */
    public B doubleBos(Boolean doubleBos) {
        this.doubleBos = doubleBos;
        return self();
    }

    /**
     * Bound on the native memory of encoded images the engine keeps for later requests with the same image, in
     * bytes; 0 turns the cache off; default (null or -1) the device's (1 GiB on the CPU, 2 GiB on a GPU).
     */
    public B imageCacheBytes(Long bytes) {
        this.imageCacheBytes = bytes;
        return self();
    }

    /**
     * Requests the engine computes at once (default 2); more wait in line. Not with a shared
     * {@link #engine(LlavaEngineHandle)}, whose options decide.
     */
    public B maxConcurrentRequests(Integer max) {
        this.maxConcurrentRequests = max;
        return self();
    }

    /**
     * Requests that may wait for a free slot (default 16); one more is refused at once with
     * {@link io.github.llavao1.engine.EngineBusyException}. Not with a shared engine handle.
     */
    public B maxQueuedRequests(Integer max) {
        this.maxQueuedRequests = max;
        return self();
    }

    /**
     * Whether loading onto the CPU first checks that the weights fit in the memory available (default on): too large
     * a model then fails at once with {@link io.github.llavao1.engine.InsufficientMemoryException} instead of the
     * process running out of memory while loading. Not with a shared engine handle.
     */
    public B checkMemory(Boolean check) {
        this.checkMemory = check;
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

    /**
     * The model's name in response metadata, metrics and spans; default the checkpoint directory's name.
     */
    public B modelName(String name) {
        this.modelName = name;
        return self();
    }

    /**
     * Time limit of one request's search, from the moment the engine is loaded (a lazy model's first load does not
     * count); past it the search is cancelled at the next token and the request fails with a
     * {@link dev.langchain4j.exception.TimeoutException}. Default (or null): no limit.
     */
    public B timeout(Duration timeout) {
        this.timeout = timeout;
        return self();
    }

    /**
     * Answers requests that offer tools (with a tool choice other than REQUIRED) without calling any, instead of
     * refusing them: for callers that offer every tool of an application whatever the model, such as the
     * quarkus-langchain4j Dev UI Chat page. Default off: LLaVA-o1 does not call tools, and a request that offers
     * them fails naming {@code toolSpecifications}.
     */
    public B ignoreOfferedTools(Boolean v) {
        this.ignoreOfferedTools = v;
        return self();
    }

    /**
     * Request parameters every request starts from (a {@link LlavaO1ChatRequestParameters} may also carry the seed,
     * mode and candidates); the individual setters above take precedence over them. Refused like a request's:
     * tools, JSON response formats and another model's name are not supported.
     */
    public B defaultRequestParameters(ChatRequestParameters parameters) {
        this.defaultRequestParameters = parameters;
        return self();
    }

    /** The builder's values with every default applied; validates but reads no file. */
    ModelConfig config() {
        ImagePolicy policy = imagePolicy != null ? imagePolicy : ImagePolicy.defaults();
        LlavaEngineHandle handle = engine;
        if (handle != null) {
            rejectEngineSettingsWithHandle();
        } else {
            if (modelPath == null && modelId == null) {
                throw new InvalidSettingException("modelPath", "or modelId (or engine) must be set");
            }
            EngineOptions.Builder options = EngineOptions.builder().device(device).dtype(dtype).quantization(quantization)
                    .maxImageBytes(policy.maxBytes()).maxImagePixels(policy.maxPixels());
            if (doubleBos != null) {
                options.doubleBos(doubleBos);
            }
            if (imageCacheBytes != null) {
                options.imageCacheBytes(imageCacheBytes);
            }
            if (maxConcurrentRequests != null) {
                options.maxConcurrentRequests(maxConcurrentRequests);
            }
            if (maxQueuedRequests != null) {
                options.maxQueuedRequests(maxQueuedRequests);
            }
            if (checkMemory != null) {
                options.checkMemory(checkMemory);
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
        if (settings.sequential()) {
            throw new InvalidSettingException("reasoning.sequential", "is a benchmarking mode of the engine backend; "
                    + "the chat models always run the cached, batched search");
        }
        if (modelName != null && modelName.isBlank()) {
            throw new InvalidSettingException("modelName", "must not be blank");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidSettingException("timeout", "must be positive, was " + timeout);
        }
        String name = modelName != null ? modelName : handle.modelName();
        ChatRequestParameters given = defaultRequestParameters != null ? defaultRequestParameters
                : DefaultChatRequestParameters.EMPTY;
        LlavaO1ChatRequestParameters own = given instanceof LlavaO1ChatRequestParameters p ? p
                : LlavaO1ChatRequestParameters.builder().build();
        LlavaO1ChatRequestParameters defaults = LlavaO1ChatRequestParameters.builder().overrideWith(given)
                .modelName(first(given.modelName(), name))
                .temperature(first(temperature, given.temperature(),
                        settings.candidateTemperature()))
                .topP(first(topP, given.topP(), settings.candidateTopP()))
                .topK(first(topK, given.topK(), settings.candidateTopK()))
                .maxOutputTokens(first(maxTokens, given.maxOutputTokens()))
                .stopSequences(first(stopSequences, given.stopSequences()))
                .seed(first(seed, own.seed(), settings.seed()))
                .reasoningMode(first(own.reasoningMode(), settings.mode()))
                .candidates(first(own.candidates(), settings.candidates()))
                .build();
        RequestMapping.validate(defaults, name);
        return new ModelConfig(handle, settings, defaults, Boolean.TRUE.equals(includeStagesInText), policy,
                listeners == null ? List.of() : List.copyOf(listeners), Boolean.TRUE.equals(logRequests),
                Boolean.TRUE.equals(logResponses), timeout, Boolean.TRUE.equals(ignoreOfferedTools));
    }

    /** The settings a shared handle's engine already decided: set anyway, they would be silently ignored. */
    private void rejectEngineSettingsWithHandle() {
        Object[] values = {modelPath, modelId, revision, cacheDir, offline, hubToken, hubEndpoint, device, dtype, quantization, doubleBos,
            imageCacheBytes, maxConcurrentRequests, maxQueuedRequests, checkMemory};
        String[] names = {"modelPath", "modelId", "revision", "cacheDir", "offline", "hubToken", "hubEndpoint", "device",
            "dtype", "quantization", "doubleBos", "imageCacheBytes", "maxConcurrentRequests", "maxQueuedRequests", "checkMemory"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                throw new InvalidSettingException(names[i], "cannot be set together with engine(handle): the shared "
                        + "handle's engine options decide it");
            }
        }
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
