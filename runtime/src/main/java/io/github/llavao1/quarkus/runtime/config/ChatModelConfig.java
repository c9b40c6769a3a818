package io.github.llavao1.quarkus.runtime.config;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Request-level sampling settings of the chat models; unset values leave the model's own defaults. */
@ConfigGroup
public interface ChatModelConfig {

    /**
     * Sampling temperature of the answer; 0 samples greedily. Unset, the reasoning search's candidate temperature
     * applies.
     */
    @ConfigDocDefault("reasoning.candidate-temperature")
    @WithDefault("${quarkus.langchain4j.temperature}")
    OptionalDouble temperature();

    /**
     * Nucleus (top-p) mass of the answer's sampling, in (0, 1]. Unset, the reasoning search's candidate top-p
     * applies.
     */
    OptionalDouble topP();

    /**
     * Candidates sample only among the k most likely tokens; 0 turns the cut off. Unset: the checkpoint's
     * {@code generation_config.json} {@code top_k}, else transformers' default 50, as LLaVA-o1's reference samples.
     */
    OptionalInt topK();

    /**
     * Upper bound on the answer's new tokens; unset, the reasoning budgets decide (the sum of the per-stage
     * budgets).
     */
    OptionalInt maxTokens();

    /**
     * Seed of the whole search, so that the same request gives the same answer; unset, a seed is drawn per request
     * and reported in the response metadata.
     */
    OptionalLong seed();

    /**
     * Text that ends the answer when generated.
     */
    Optional<List<String>> stopSequences();

    /**
     * What the {@code AiMessage} text holds: {@code conclusion} (the CONCLUSION stage, the final answer) or
     * {@code staged} (the whole tagged answer: SUMMARY, CAPTION, REASONING and CONCLUSION). The staged result is
     * always in the response metadata.
     */
    @WithDefault("conclusion")
    ResponseFormat responseFormat();

    /**
     * Whether requests that offer tools (with tool choice {@code AUTO}) are answered without calling any, instead of
     * refused. LLaVA-o1 does not call tools; callers that offer every {@code @Tool} of the application whatever the
     * model, such as the Dev UI Chat page of quarkus-langchain4j, need it (e.g.
     * {@code %dev.quarkus.langchain4j.llava-o1.chat-model.ignore-offered-tools=true}).
     */
    @WithDefault("false")
    boolean ignoreOfferedTools();

    /** What the answer text holds. */
    enum ResponseFormat {
        /** The CONCLUSION stage only. */
        CONCLUSION,
        /** The whole tagged answer. */
        STAGED
    }
}
