package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.validation.InvalidSettingException;
import java.util.Objects;

/**
 * LLaVA-o1's request parameters: the common ones plus the search's seed, mode and candidate count. Pass an instance
 * as {@code ChatRequest.parameters(...)} to override the model's defaults for one request; a plain
 * {@link DefaultChatRequestParameters} overrides only the common fields.
 */
public class LlavaO1ChatRequestParameters extends DefaultChatRequestParameters {

    private final Long seed;
    private final ReasoningMode reasoningMode;
    private final Integer candidates;

    protected LlavaO1ChatRequestParameters(Builder builder) {
        super(builder);
        this.seed = builder.seed;
        this.reasoningMode = builder.reasoningMode;
        this.candidates = builder.candidates;
        if (candidates != null && candidates < 1) {
            throw new InvalidSettingException("candidates", "must be >= 1, was " + candidates);
        }
    }

    /** Seeds the whole search (candidates, judges, knockout order); {@code null} draws one per request. */
    public Long seed() {
        return seed;
    }

    /** The search to run; {@code null} keeps the model's reasoning settings. */
    public ReasoningMode reasoningMode() {
        return reasoningMode;
    }

    /** Candidates sampled per step; {@code null} keeps the model's reasoning settings. */
    public Integer candidates() {
        return candidates;
    }

    @Override
    public LlavaO1ChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LlavaO1ChatRequestParameters that && super.equals(that)
                && Objects.equals(seed, that.seed) && reasoningMode == that.reasoningMode
                && Objects.equals(candidates, that.candidates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), seed, reasoningMode, candidates);
    }

    @Override
    public String toString() {
        return "LlavaO1ChatRequestParameters{" + super.toString() + ", seed=" + seed + ", reasoningMode="
                + reasoningMode + ", candidates=" + candidates + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {
        private Long seed;
        private ReasoningMode reasoningMode;
        private Integer candidates;

        /** Copies {@code parameters}' non-null fields, LLaVA-o1's own ones included when it carries them. */
        @Override
        public Builder overrideWith(ChatRequestParameters parameters) {
            super.overrideWith(parameters);
            if (parameters instanceof LlavaO1ChatRequestParameters that) {
                seed = that.seed != null ? that.seed : seed;
                reasoningMode = that.reasoningMode != null ? that.reasoningMode : reasoningMode;
                candidates = that.candidates != null ? that.candidates : candidates;
            }
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder reasoningMode(ReasoningMode reasoningMode) {
            this.reasoningMode = reasoningMode;
            return this;
        }

        public Builder candidates(Integer candidates) {
            this.candidates = candidates;
            return this;
        }

        @Override
        public LlavaO1ChatRequestParameters build() {
            return new LlavaO1ChatRequestParameters(this);
        }
    }
}
