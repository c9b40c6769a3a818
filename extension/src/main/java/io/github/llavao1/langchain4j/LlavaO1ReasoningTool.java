package io.github.llavao1.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;
import io.github.llavao1.reasoning.ReasoningResult;
import java.lang.reflect.Method;
import java.util.Objects;

/**
 * LLaVA-o1 as a tool for a text-only planner model: {@link #reasonAboutImage} answers a question about an image and
 * returns the staged result as JSON. Use it as an object in {@code AiServices.builder(...).tools(tool)}, or through
 * {@link #toolSpecification()} and {@link #toolExecutor()} where tools are registered programmatically.
 *
 * <p>The image argument is chosen by another model, so it is held to the chat model's {@link ImagePolicy}: files
 * only under the allowed roots, URLs only from the allowed hosts. A refused or undecodable image throws
 * {@link io.github.llavao1.engine.image.InvalidImageException} with a message that says why; AI services hand that
 * message back to the planner as the tool's result.
 */
public class LlavaO1ReasoningTool {

    static final String NAME = "reasonAboutImage";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlavaO1ChatModel model;

    public LlavaO1ReasoningTool(LlavaO1ChatModel model) {
        this.model = Objects.requireNonNull(model, "model must not be null");
    }

    @Tool(name = NAME, value = "Looks at an image and answers a question about it with step-by-step visual "
            + "reasoning (LLaVA-o1). Returns JSON with the fields summary, caption, reasoning and conclusion; "
            + "conclusion is the answer.")
    public String reasonAboutImage(
            @P(name = "image", value = "the image: a data URI (data:image/png;base64,...), an http(s) URL or a file path") String image,
            @P(name = "question", value = "the question to answer about the image") String question) {
        return toJson(model.reasoningCall().reasonAboutImage(image, question));
    }

    /** The tool's description for a model, derived from the annotated method. */
    public ToolSpecification toolSpecification() {
        return ToolSpecifications.toolSpecificationFrom(method());
    }

    /** Runs a tool call's JSON arguments ({@code image}, {@code question}) and returns the JSON result. */
    public ToolExecutor toolExecutor() {
        return new DefaultToolExecutor(this, method());
    }

    /**
     * The result as the tool returns it: the four stage texts, the search's mode and seed, the stages that had to
     * be repaired and the token counts. The per-step traces (every candidate's tokens and every verdict) are left
     * out: they are for debugging, large, and no help to a planner; they stay in {@link ReasoningResult#steps()}.
     */
    public static String toJson(ReasoningResult result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("summary", result.summary());
        node.put("caption", result.caption());
        node.put("reasoning", result.reasoning());
        node.put("conclusion", result.conclusion());
        node.put("mode", result.mode().name());
        node.put("seed", result.seed());
        node.set("repairedStages", JSON.valueToTree(result.repairedStages()));
        node.put("answerTokens", result.answerTokens());
        node.put("candidateTokens", result.candidateTokens());
        node.put("judgeTokens", result.judgeTokens());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the reasoning result as JSON", e);
        }
    }

    private static Method method() {
        try {
            return LlavaO1ReasoningTool.class.getMethod(NAME, String.class, String.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the @Tool method " + NAME + " is missing", e);
        }
    }
}
