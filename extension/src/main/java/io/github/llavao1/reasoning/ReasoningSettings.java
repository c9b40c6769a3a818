package io.github.llavao1.reasoning;

import io.github.llavao1.validation.InvalidSettingException;
import io.github.llavao1.validation.SamplingChecks;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one reasoning search. Defaults follow the reference ({@code simple_inference.py}): stage-level beam
 * search with 2 candidates, sampling at temperature 0.6 / top-p 0.9 for candidates and judges, 2048 new tokens per
 * call, the reasoning pre-check on and the self-judge. (The doubled BOS the checkpoint was trained with is how the
 * engine renders every prompt: {@code EngineOptions.doubleBos}.)
 *
 * @param mode                 which search runs
 * @param candidates           N, the candidates sampled per step (1 disables judging)
 * @param stages               the stages searched with N candidates in {@link ReasoningMode#STAGE_BEAM}; the
 *                             others are sampled once and not judged
 * @param candidateTemperature sampling temperature of candidates
 * @param candidateTopP        nucleus mass of candidates
 * @param candidateTopK        top-k of candidates, 0 = off; {@code null} = the model's default, as the reference
 *                             samples through transformers' {@code generate}: the checkpoint's
 *                             {@code generation_config.json} {@code top_k}, else transformers' default 50
 *                             ({@link ReasoningPort#defaultTopK})
 * @param judgeTemperature     sampling temperature of judge and pre-check calls
 * @param judgeTopP            nucleus mass of judge and pre-check calls
 * @param judgeTopK            top-k of judge and pre-check calls, as {@code candidateTopK}
 * @param maxTokens            new-token budget per stage (all four stages); whole-answer modes get the sum
 * @param judgeMaxTokens       new-token budget of one judge or pre-check call
 * @param reasoningPrecheck    whether the REASONING stage's text-only correctness check runs before its judge
 * @param judgeStrategy        how a pair of well-formed candidates is decided
 * @param seed                 seeds the whole search; {@code null} draws one, which the result reports
 * @param sequential           reproduce the reference's cost model (see {@link ReasoningRequest#open}); only for
 *                             measuring the speed-up, the search itself is the same
 */
public record ReasoningSettings(ReasoningMode mode, int candidates, Set<Stage> stages,
                                double candidateTemperature, double candidateTopP, Integer candidateTopK,
                                double judgeTemperature, double judgeTopP, Integer judgeTopK,
                                Map<Stage, Integer> maxTokens, int judgeMaxTokens,
                                boolean reasoningPrecheck, JudgeStrategy judgeStrategy, Long seed,
                                boolean sequential) {

    /** Upper bound on N: each candidate is a sequence of the batch and costs a KV cache. */
    public static final int MAX_CANDIDATES = 64;

    public ReasoningSettings {
        Objects.requireNonNull(mode, "mode must not be null");
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw new InvalidSettingException("candidates", "must be between 1 and " + MAX_CANDIDATES + ", was " + candidates);
        }
        Objects.requireNonNull(stages, "stages must not be null");
        // Enum order keeps iteration and JSON output stable.
        EnumSet<Stage> searched = EnumSet.noneOf(Stage.class);
        for (Stage stage : stages) {
            searched.add(Objects.requireNonNull(stage, "stages must not contain null"));
        }
        stages = Collections.unmodifiableSet(searched);
        SamplingChecks.temperature("candidateTemperature", candidateTemperature);
        SamplingChecks.topP("candidateTopP", candidateTopP);
        SamplingChecks.temperature("judgeTemperature", judgeTemperature);
        SamplingChecks.topP("judgeTopP", judgeTopP);
        SamplingChecks.topK("candidateTopK", candidateTopK);
        SamplingChecks.topK("judgeTopK", judgeTopK);
        Objects.requireNonNull(maxTokens, "maxTokens must not be null");
        for (Stage stage : Stage.values()) {
            Integer budget = maxTokens.get(stage);
            if (budget == null || budget < 1) {
                throw new InvalidSettingException("maxTokens[" + stage + "]", "must be at least 1, was " + budget);
            }
        }
        maxTokens = Collections.unmodifiableMap(new EnumMap<>(maxTokens));
        if (judgeMaxTokens < 1) {
            throw new InvalidSettingException("judgeMaxTokens", "must be at least 1, was " + judgeMaxTokens);
        }
        Objects.requireNonNull(judgeStrategy, "judgeStrategy must not be null");
    }

    /** The reference's settings. */
    public static ReasoningSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder().mode(mode).candidates(candidates).stages(stages)
                .candidateTemperature(candidateTemperature).candidateTopP(candidateTopP).candidateTopK(candidateTopK)
                .judgeTemperature(judgeTemperature).judgeTopP(judgeTopP).judgeTopK(judgeTopK).judgeMaxTokens(judgeMaxTokens)
                .reasoningPrecheck(reasoningPrecheck).judgeStrategy(judgeStrategy).seed(seed).sequential(sequential);
        maxTokens.forEach(builder::maxTokens);
        return builder;
    }

    /** The new-token budget of {@code stage}. */
    public int maxTokens(Stage stage) {
        return maxTokens.get(stage);
    }

    /** The budget of a whole answer: the sum of the four stage budgets. */
    public int answerBudget() {
        int sum = 0;
        for (Stage stage : Stage.values()) {
            sum += maxTokens(stage);
        }
        return sum;
    }

    /** Fluent builder; every default is set here and nowhere else. */
    public static final class Builder {
        private ReasoningMode mode = ReasoningMode.STAGE_BEAM;
        private int candidates = 2;
        private Set<Stage> stages = EnumSet.allOf(Stage.class);
        private double candidateTemperature = 0.6;
        private double candidateTopP = 0.9;
        private double judgeTemperature = 0.6;
        private double judgeTopP = 0.9;
        private Integer candidateTopK;
        private Integer judgeTopK;
        private final Map<Stage, Integer> maxTokens = new EnumMap<>(Stage.class);
        private int judgeMaxTokens = 2048;
        private boolean reasoningPrecheck = true;
        private JudgeStrategy judgeStrategy = JudgeStrategy.SELF_JUDGE;
        private Long seed;
        private boolean sequential;

        private Builder() {
            maxTokens(2048);
        }

        public Builder mode(ReasoningMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        public Builder stages(Set<Stage> stages) {
            this.stages = stages;
            return this;
        }

        public Builder candidateTemperature(double candidateTemperature) {
            this.candidateTemperature = candidateTemperature;
            return this;
        }

        public Builder candidateTopP(double candidateTopP) {
            this.candidateTopP = candidateTopP;
            return this;
        }

        /** Top-k of candidates; 0 = off; {@code null} (the default) = the model's generation default. */
        public Builder candidateTopK(Integer candidateTopK) {
            this.candidateTopK = candidateTopK;
            return this;
        }

        /** Top-k of judge and pre-check calls; 0 = off; {@code null} (the default) = the model's generation default. */
        public Builder judgeTopK(Integer judgeTopK) {
            this.judgeTopK = judgeTopK;
            return this;
        }

        public Builder judgeTemperature(double judgeTemperature) {
            this.judgeTemperature = judgeTemperature;
            return this;
        }

        public Builder judgeTopP(double judgeTopP) {
            this.judgeTopP = judgeTopP;
            return this;
        }

        /** The same budget for every stage. */
        public Builder maxTokens(int perStage) {
            for (Stage stage : Stage.values()) {
                maxTokens.put(stage, perStage);
            }
            return this;
        }

        public Builder maxTokens(Stage stage, int budget) {
            maxTokens.put(Objects.requireNonNull(stage, "stage"), budget);
            return this;
        }

        public Builder judgeMaxTokens(int judgeMaxTokens) {
            this.judgeMaxTokens = judgeMaxTokens;
            return this;
        }

        public Builder reasoningPrecheck(boolean reasoningPrecheck) {
            this.reasoningPrecheck = reasoningPrecheck;
            return this;
        }

        public Builder judgeStrategy(JudgeStrategy judgeStrategy) {
            this.judgeStrategy = judgeStrategy;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder sequential(boolean sequential) {
            this.sequential = sequential;
            return this;
        }

        public ReasoningSettings build() {
            return new ReasoningSettings(mode, candidates, stages, candidateTemperature, candidateTopP, candidateTopK,
                    judgeTemperature, judgeTopP, judgeTopK, maxTokens, judgeMaxTokens, reasoningPrecheck, judgeStrategy,
                    seed, sequential);
        }
    }
}
