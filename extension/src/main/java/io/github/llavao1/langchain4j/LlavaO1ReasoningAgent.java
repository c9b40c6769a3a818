package io.github.llavao1.langchain4j;

import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.scope.AgenticScope;
import io.github.llavao1.reasoning.ReasoningResult;
import java.util.Objects;

/**
 * LLaVA-o1 as a non-AI agent for langchain4j-agentic workflows ({@code AgenticServices.sequenceBuilder()
 * .subAgents(..., agent, ...)}): reads an image reference and a question from the agentic scope, runs the staged
 * reasoning, and writes the {@link ReasoningResult} back under {@link #outputKey()} (the staged JSON of
 * {@link LlavaO1ReasoningTool#toJson} under {@code outputKey + "Json"}, for AI agents that template it into a
 * prompt). Image references are held to the chat model's {@link ImagePolicy}.
 *
 * <p>Needs {@code dev.langchain4j:langchain4j-agentic} on the classpath (an optional dependency of this module).
 */
public class LlavaO1ReasoningAgent {

    private final LlavaO1ChatModel model;
    private final String imageKey;
    private final String questionKey;
    private final String outputKey;

    /** Reads {@code image} and {@code question}, writes {@code llavaO1Result}. */
    public LlavaO1ReasoningAgent(LlavaO1ChatModel model) {
        this(model, "image", "question", "llavaO1Result");
    }

    public LlavaO1ReasoningAgent(LlavaO1ChatModel model, String imageKey, String questionKey, String outputKey) {
        this.model = Objects.requireNonNull(model, "model must not be null");
        this.imageKey = requireKey(imageKey, "imageKey");
        this.questionKey = requireKey(questionKey, "questionKey");
        this.outputKey = requireKey(outputKey, "outputKey");
    }

    public String outputKey() {
        return outputKey;
    }

    @Agent(name = "llavaO1Reasoner", description = "Answers a question about an image with LLaVA-o1's staged "
            + "visual reasoning (summary, caption, reasoning, conclusion)")
    public ReasoningResult reason(AgenticScope scope) {
        Object image = scope.readState(imageKey);
        Object question = scope.readState(questionKey);
        if (image == null) {
            throw new IllegalArgumentException("the agentic scope has no image under '" + imageKey + "'");
        }
        if (question == null) {
            throw new IllegalArgumentException("the agentic scope has no question under '" + questionKey + "'");
        }
        ReasoningResult result = model.reasoningCall().reasonAboutImage(image.toString(), question.toString());
        scope.writeState(outputKey, result);
        scope.writeState(outputKey + "Json", LlavaO1ReasoningTool.toJson(result));
        return result;
    }

    private static String requireKey(String key, String field) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return key;
    }
}
