package io.github.llavao1.quarkus.runtime.config;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** One LLaVA-o1 model: its checkpoint, where it runs, and how it answers. */
@ConfigGroup
public interface LlavaO1ModelConfig {

    /**
     * Directory of the Hugging Face checkpoint ({@code config.json}, {@code *.safetensors}, {@code tokenizer.json},
     * {@code preprocessor_config.json}), e.g. a local clone of {@code Xkev/Llama-3.2V-11B-cot}. Required while the
     * integration is enabled; a missing directory or an unusable checkpoint fails start-up with a message naming
     * this property and the path. Wins over {@code model-id} when both are set.
     */
    Optional<Path> modelPath();

    /**
     * A Hugging Face Hub model id, e.g. {@code Xkev/Llama-3.2V-11B-cot}: its checkpoint files (only those the engine
     * reads) are fetched into the Hugging Face cache at start-up, with progress in the log, unless the cache already
     * has them (then no request is made). With {@code load=eager}, a model that must be downloaded is fetched and
     * loaded in the background and readiness stays down until it is loaded; one that is cached loads during
     * start-up. Used when {@code model-path} is not set.
     */
    Optional<String> modelId();

    /**
     * Branch, tag or commit of {@code model-id}. A branch is looked up once and then taken from the cache's
     * {@code refs/}; pin a commit to make the version explicit.
     */
    @WithDefault("main")
    String revision();

    /**
     * Hugging Face Hub download and cache settings for {@code model-id}.
     */
    HubConfig hub();

    /**
     * Where the model computes: {@code auto} (the first GPU when a CUDA libtorch is present, else the CPU),
     * {@code cpu}, {@code gpu} or {@code gpu:N}.
     */
    @WithDefault("auto")
    String device();

    /**
     * Compute dtype: {@code auto} (float16 on a GPU, float32 on the CPU), {@code float32} or {@code float16}.
     */
    @WithDefault("auto")
    String dtype();

    /**
     * How the text decoder's linear maps are stored: {@code none} (the checkpoint's values in the compute dtype) or
     * {@code int8} (quantized per output channel while loading: about a quarter of float32's memory, and on x86 CPUs
     * with AVX512-BF16 faster decoding; CPU only, dtype auto or float32). See docs/QUARKUS.md.
     */
    @WithDefault("none")
    String quantization();

    /**
     * When the weights are loaded: {@code eager} loads them during start-up (start-up fails if they cannot be
     * loaded, readiness is up once the application is), {@code lazy} on the first request (start-up only checks
     * that the checkpoint directory exists).
     */
    @WithDefault("eager")
    LoadMode load();

    /**
     * Requests the model computes at once. Each holds its images' encoding and its KV caches (device memory), so
     * this bounds the memory that requests use; further requests wait in line.
     */
    @WithDefault("2")
    int maxConcurrentRequests();

    /**
     * Requests that may wait, in arrival order, for one of the {@code max-concurrent-requests} slots; one more is
     * refused at once with {@code EngineBusyException} (HTTP 503 with {@code Retry-After} when Quarkus REST is
     * present). {@code 0} refuses every request that finds all slots taken.
     */
    @WithDefault("16")
    int maxQueuedRequests();

    /**
     * Whether loading onto the CPU first checks that the weights, in the compute dtype, fit in the memory the process
     * has available (Linux's {@code MemAvailable}, within any container limit). Too large a model then fails at once,
     * naming what it needs and what is there, instead of the process being killed for lack of memory while loading.
     * {@code false} loads anyway (e.g. to rely on swap).
     */
    @WithDefault("true")
    boolean checkMemory();

    /**
     * Whether to enable the integration. Set to {@code false} to get disabled models that refuse every request and
     * load nothing.
     */
    @WithDefault("true")
    Boolean enableIntegration();

    /**
     * The model's name in response metadata, metrics ({@code gen_ai_*}) and spans; unset, the checkpoint
     * directory's name.
     */
    Optional<String> modelName();

    /**
     * Time limit of one request's search, counted once the weights are loaded; past it the search is cancelled at
     * the next token and the request fails with a {@code dev.langchain4j.exception.TimeoutException}. Unset (and
     * {@code quarkus.langchain4j.timeout} unset), requests have no limit: a staged search of the 11B model takes
     * seconds on a GPU but minutes on a CPU, so size it for the machine.
     */
    @ConfigDocDefault("none")
    @WithDefault("${quarkus.langchain4j.timeout}")
    Optional<Duration> timeout();

    /**
     * Whether requests to the model are logged.
     */
    @ConfigDocDefault("false")
    @WithDefault("${quarkus.langchain4j.log-requests}")
    Optional<Boolean> logRequests();

    /**
     * Whether responses of the model are logged.
     */
    @ConfigDocDefault("false")
    @WithDefault("${quarkus.langchain4j.log-responses}")
    Optional<Boolean> logResponses();

    /**
     * Chat model settings.
     */
    ChatModelConfig chatModel();

    /**
     * The staged reasoning search (stage-level beam search).
     */
    ReasoningConfig reasoning();

    /**
     * Which images a request may use, and how large they may be.
     */
    ImageConfig image();

    /** When the weights are loaded. */
    enum LoadMode {
        /** During start-up. */
        EAGER,
        /** On the first request. */
        LAZY
    }
}
