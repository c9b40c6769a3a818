package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import io.github.llavao1.reasoning.ReasoningResult;
import java.util.Objects;

/**
 * Response metadata with the structured staged result. {@link #tokenUsage()} counts the prompt (input) and the
 * answer's tokens (output); the search also sampled losing candidates and judge calls, reported here as
 * {@link #candidateTokens()} and {@link #judgeTokens()}.
 */
public class LlavaO1ChatResponseMetadata extends ChatResponseMetadata {

    private final ReasoningResult reasoning;

    protected LlavaO1ChatResponseMetadata(Builder builder) {
        super(builder);
        this.reasoning = Objects.requireNonNull(builder.reasoning, "reasoning must not be null");
    }

    /** The whole staged result: the four stage texts, the raw answer, the seed and every step's trace. */
    public ReasoningResult reasoning() {
        return reasoning;
    }

    /** Tokens sampled for all candidates, losers included. */
    public int candidateTokens() {
        return reasoning.candidateTokens();
    }

    /** Tokens sampled by judge and pre-check calls. */
    public int judgeTokens() {
        return reasoning.judgeTokens();
    }

    @Override
    public Builder toBuilder() {
        return ((Builder) toBuilder(builder())).reasoning(reasoning);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LlavaO1ChatResponseMetadata that && super.equals(that) && reasoning.equals(that.reasoning);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), reasoning);
    }

    @Override
    public String toString() {
        return "LlavaO1ChatResponseMetadata{" + super.toString() + ", reasoning=" + reasoning + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends ChatResponseMetadata.Builder<Builder> {
        private ReasoningResult reasoning;

        public Builder reasoning(ReasoningResult reasoning) {
            this.reasoning = reasoning;
            return this;
        }

        @Override
        public LlavaO1ChatResponseMetadata build() {
            return new LlavaO1ChatResponseMetadata(this);
        }
    }
}
