package io.github.llavao1.quarkus.runtime;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import io.github.llavao1.engine.ImageCacheStats;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.reasoning.Judgement;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.StageTrace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Records every {@code llava-o1} answer's reasoning in Micrometer: generated tokens per second, wall time per search
 * step (stage), and judge and pre-check calls. A {@link ChatModelListener}, so it sees the answers of the chat model,
 * the streaming model and the tool alike; answers of other providers are ignored. Also each model's image-encoding
 * cache: hits, misses, evictions and bytes held. Registered by the deployment module when {@code quarkus-micrometer}
 * is present.
 */
@Singleton
public class LlavaO1Metrics implements ChatModelListener {

    /** Tokens sampled per second of wall time (answer, losing candidates and judges together), per request. */
    public static final String TOKENS_PER_SECOND = "llava.o1.tokens.per.second";
    /** Tokens sampled, tagged {@code kind} = {@code candidate} or {@code judge}. */
    public static final String TOKENS = "llava.o1.tokens";
    /** Wall time of each search step, tagged {@code step} (SUMMARY, CAPTION, REASONING, CONCLUSION, ANSWER, …). */
    public static final String STAGE_DURATION = "llava.o1.stage.duration";
    /** Judge model calls, tagged {@code kind} = {@code judge} (pairwise) or {@code precheck} (reasoning check). */
    public static final String JUDGE_CALLS = "llava.o1.judge.calls";
    /** Wall time of whole requests. */
    public static final String REQUEST_DURATION = "llava.o1.request.duration";
    /**
     * Images a request brought, tagged {@code model} and {@code result} = {@code hit} (the encoding was reused, no
     * vision tower) or {@code miss} (encoded).
     */
    public static final String IMAGE_CACHE_REQUESTS = "llava.o1.image.cache.requests";
    /** Encodings the image cache dropped to stay within its bound, tagged {@code model}. */
    public static final String IMAGE_CACHE_EVICTIONS = "llava.o1.image.cache.evictions";
    /** Native memory the image cache holds, tagged {@code model}. */
    public static final String IMAGE_CACHE_BYTES = "llava.o1.image.cache.bytes";

    @Inject
    MeterRegistry registry;

    @Inject
    LlavaO1Engines engines;

    /** Models whose image-cache meters are registered (Micrometer warns about registering a function meter twice). */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void registerImageCaches() {
        for (Map.Entry<String, LlavaO1Engines.Entry> model : engines.entries().entrySet()) {
            LlavaEngineHandle handle = model.getValue().handle();
            String name = model.getKey();
            if (!registered.add(name)) {
                continue;
            }
            FunctionCounter.builder(IMAGE_CACHE_REQUESTS, handle, h -> cacheFigure(h, ImageCacheStats::hits))
                    .tag("model", name).tag("result", "hit").register(registry);
            FunctionCounter.builder(IMAGE_CACHE_REQUESTS, handle, h -> cacheFigure(h, ImageCacheStats::misses))
                    .tag("model", name).tag("result", "miss").register(registry);
            FunctionCounter.builder(IMAGE_CACHE_EVICTIONS, handle, h -> cacheFigure(h, ImageCacheStats::evictions))
                    .tag("model", name).register(registry);
            Gauge.builder(IMAGE_CACHE_BYTES, handle, h -> cacheFigure(h, ImageCacheStats::bytes))
                    .tag("model", name).baseUnit("bytes").register(registry);
        }
    }

    /** A figure of a loaded engine's image cache; 0 before it loads and after it closes. */
    private static double cacheFigure(LlavaEngineHandle handle, ToDoubleFunction<ImageCacheStats> figure) {
        if (!handle.isLoaded()) {
            return 0;
        }
        try {
            return figure.applyAsDouble(handle.get().imageCacheStats());
        } catch (IllegalStateException closedMeanwhile) {
            return 0;
        }
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        // registers only models not seen yet: an engine added after start-up (the standalone tool's)
        registerImageCaches();
        ChatResponseMetadata metadata = context.chatResponse().metadata();
        if (metadata instanceof LlavaO1ChatResponseMetadata llava && llava.reasoning() != null) {
            record(llava.reasoning());
        }
    }

    void record(ReasoningResult result) {
        int sampled = result.candidateTokens() + result.judgeTokens();
        Timer.builder(REQUEST_DURATION).tag("mode", result.mode().configName()).register(registry)
                .record(Duration.ofMillis(result.wallMillis()));
        Counter.builder(TOKENS).tag("kind", "candidate").register(registry).increment(result.candidateTokens());
        Counter.builder(TOKENS).tag("kind", "judge").register(registry).increment(result.judgeTokens());
        if (result.wallMillis() > 0) {
            DistributionSummary.builder(TOKENS_PER_SECOND).baseUnit("tokens/s").register(registry)
                    .record(sampled * 1000.0 / result.wallMillis());
        }
        int judgeCalls = 0;
        int prechecks = 0;
        for (StageTrace step : result.steps()) {
            Timer.builder(STAGE_DURATION).tag("step", stepTag(step)).register(registry)
                    .record(Duration.ofMillis(step.wallMillis()));
            for (Judgement judgement : step.judgements()) {
                judgeCalls += judgement.judgeOutput() != null ? 1 : 0;
                prechecks += judgement.prechecks().size();
            }
        }
        Counter.builder(JUDGE_CALLS).tag("kind", "judge").register(registry).increment(judgeCalls);
        Counter.builder(JUDGE_CALLS).tag("kind", "precheck").register(registry).increment(prechecks);
    }

    /** Stage names as they are; sentence steps ("SENTENCE 12") folded into one tag to bound cardinality. */
    private static String stepTag(StageTrace step) {
        return step.stage() != null ? step.stage().name() : step.step().replaceAll("\\s+\\d+$", "");
    }
}
