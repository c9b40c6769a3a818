package io.github.llavao1.quarkus.runtime.config;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The staged reasoning search ({@code io.github.llavao1.reasoning.ReasoningSettings}); defaults are the LLaVA-o1
 * reference's ({@code simple_inference.py}).
 */
@ConfigGroup
public interface ReasoningConfig {

    /**
     * Which search runs: {@code stage-beam} (the paper's stage-level beam search), {@code plain} (one sampled pass),
     * {@code best-of-n} (N whole answers, one knockout) or {@code sentence-beam} (N candidates per sentence).
     */
    @WithDefault("stage-beam")
    String mode();

    /**
     * N, the candidates sampled per step, 1 to 64; 1 disables judging.
     */
    @WithDefault("2")
    int candidates();

    /**
     * The stages searched with N candidates in {@code stage-beam} mode, among {@code summary}, {@code caption},
     * {@code reasoning} and {@code conclusion}; the others are sampled once and not judged.
     */
    @WithDefault("summary,caption,reasoning,conclusion")
    List<String> stages();

    /**
     * Sampling temperature of the candidates.
     */
    @WithDefault("0.6")
    double candidateTemperature();

    /**
     * Nucleus (top-p) mass of the candidates.
     */
    @WithDefault("0.9")
    double candidateTopP();

    /**
     * Sampling temperature of the judge and pre-check calls.
     */
    @WithDefault("0.6")
    double judgeTemperature();

    /**
     * Nucleus (top-p) mass of the judge and pre-check calls.
     */
    @WithDefault("0.9")
    double judgeTopP();

    /**
     * New-token budget of each stage; a whole-answer mode gets the sum of the four.
     */
    @WithDefault("2048")
    int maxTokens();

    /**
     * Budget of the SUMMARY stage, overriding {@code max-tokens}.
     */
    OptionalInt summaryMaxTokens();

    /**
     * Budget of the CAPTION stage, overriding {@code max-tokens}.
     */
    OptionalInt captionMaxTokens();

    /**
     * Budget of the REASONING stage, overriding {@code max-tokens}.
     */
    OptionalInt reasoningMaxTokens();

    /**
     * Budget of the CONCLUSION stage, overriding {@code max-tokens}.
     */
    OptionalInt conclusionMaxTokens();

    /**
     * New-token budget of one judge or pre-check call.
     */
    @WithDefault("2048")
    int judgeMaxTokens();

    /**
     * Whether the REASONING stage's text-only correctness pre-check runs before its pairwise judge.
     */
    @WithDefault("true")
    boolean reasoningPrecheck();

    /**
     * How a pair of well-formed candidates is decided: {@code self-judge} (the model judges the pair, the paper's
     * method) or {@code first-candidate} (no judge call, the earlier-sampled candidate wins).
     */
    @WithDefault("self-judge")
    String judgeStrategy();

    /**
     * Seed of the search; {@code chat-model.seed} takes precedence. Unset, a seed is drawn per request and reported.
     */
    OptionalLong seed();

    /**
     * Whether prompts start with two {@code <|begin_of_text|>} tokens, as LLaVA-o1 was trained and evaluated. An
     * option of the model's engine, which renders every prompt with it.
     */
    @WithDefault("true")
    boolean doubleBos();

    /**
     * Reproduces the reference's cost model (every call re-encodes the image and re-reads the prefix); only for
     * measuring the speed-up of the batched search, the answers are the same.
     */
    @WithDefault("false")
    boolean sequential();
}
