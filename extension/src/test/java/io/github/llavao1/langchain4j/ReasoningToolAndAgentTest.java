package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.agentic.scope.ResultWithAgenticScope;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.reasoning.ReasoningResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LLaVA-o1 behind a text-only planner: as an AI-service tool, as a specification + executor, and as an agent. */
class ReasoningToolAndAgentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "What shape is shown?";

    @TempDir
    Path images;

    interface Assistant {
        String chat(String userMessage);
    }

    /**
     * A planner that first calls the tool with {@code arguments}, then answers with whatever the tool returned;
     * it records the requests it saw.
     */
    private static final class ScriptedPlanner implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();
        private final String arguments;

        ScriptedPlanner(String arguments) {
            this.arguments = arguments;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            ChatMessage last = request.messages().get(request.messages().size() - 1);
            if (last instanceof ToolExecutionResultMessage result) {
                return ChatResponse.builder().aiMessage(AiMessage.from(result.text())).build();
            }
            ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-1").name("reasonAboutImage")
                    .arguments(arguments).build();
            return ChatResponse.builder().aiMessage(AiMessage.from(call)).build();
        }
    }

    private LlavaO1ChatModel model() throws Exception {
        Files.copy(TinyModel.image("square.png"), images.resolve("square.png"));
        return TinyModel.chatModel(TinyModel.small())
                .imagePolicy(ImagePolicy.builder().allowedRoots(List.of(images)).build()).build();
    }

    private static String arguments(String image, String question) {
        ObjectNode node = JSON.createObjectNode().put("image", image).put("question", question);
        return node.toString();
    }

    private static void assertStagedJson(JsonNode json, ReasoningResult expected) {
        assertEquals(expected.summary(), json.get("summary").asText());
        assertEquals(expected.caption(), json.get("caption").asText());
        assertEquals(expected.reasoning(), json.get("reasoning").asText());
        assertEquals(expected.conclusion(), json.get("conclusion").asText());
        assertEquals("STAGE_BEAM", json.get("mode").asText());
        assertEquals(7L, json.get("seed").asLong());
        assertEquals(expected.answerTokens(), json.get("answerTokens").asInt());
        assertEquals(expected.repairedStages().size(), json.get("repairedStages").size());
    }

    @Test
    void aiServicePlannerCallsTheToolAndReadsTheStagedJson() throws Exception {
        LlavaO1ChatModel model = model();
        ScriptedPlanner planner = new ScriptedPlanner(arguments("square.png", QUESTION));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(planner)
                .tools(new LlavaO1ReasoningTool(model)).build();

        String answer = assistant.chat("Look at square.png and tell me its shape.");

        JsonNode json = JSON.readTree(answer);
        ReasoningResult expected = model.reasoningCall().reasonAboutImage("square.png", QUESTION);
        assertStagedJson(json, expected);
        assertEquals(2, planner.requests.size());
        ToolSpecification offered = planner.requests.get(0).parameters().toolSpecifications().get(0);
        assertEquals("reasonAboutImage", offered.name());
        assertTrue(offered.parameters().properties().keySet().containsAll(List.of("image", "question")));
    }

    @Test
    void aRefusedImageReachesThePlannerAsTheToolsError() throws Exception {
        LlavaO1ChatModel model = model();
        ScriptedPlanner planner = new ScriptedPlanner(arguments("/etc/passwd", QUESTION));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(planner)
                .tools(new LlavaO1ReasoningTool(model)).build();
        String answer = assistant.chat("Read /etc/passwd");
        assertTrue(answer.contains("outside the allowed roots"), answer);
    }

    @Test
    void specificationAndExecutorPair() throws Exception {
        LlavaO1ChatModel model = model();
        LlavaO1ReasoningTool tool = new LlavaO1ReasoningTool(model);
        ToolSpecification spec = tool.toolSpecification();
        assertEquals("reasonAboutImage", spec.name());
        assertEquals(List.of("image", "question"), spec.parameters().required());
        String result = tool.toolExecutor().execute(ToolExecutionRequest.builder().id("1").name(spec.name())
                .arguments(arguments(images.resolve("square.png").toString(), QUESTION)).build(), "memory");
        assertStagedJson(JSON.readTree(result), model.reasoningCall().reasonAboutImage("square.png", QUESTION));
        assertThrows(InvalidImageException.class, () -> tool.reasonAboutImage("http://169.254.169.254/x.png", QUESTION));
    }

    @Test
    void agentWritesTheResultToTheAgenticScopeInASequence() throws Exception {
        LlavaO1ChatModel model = model();
        LlavaO1ReasoningAgent agent = new LlavaO1ReasoningAgent(model, "picture", "ask", "staged");
        UntypedAgent sequence = AgenticServices.sequenceBuilder()
                .subAgents(agent, new ConclusionReader())
                .outputKey("report")
                .build();
        ResultWithAgenticScope<String> run = sequence.invokeWithAgenticScope(
                Map.of("picture", "square.png", "ask", QUESTION));

        ReasoningResult staged = assertInstanceOf(ReasoningResult.class, run.agenticScope().readState("staged"));
        ReasoningResult expected = model.reasoningCall().reasonAboutImage("square.png", QUESTION);
        assertEquals(TinyModel.withoutTimings(expected), TinyModel.withoutTimings(staged));
        assertStagedJson(JSON.readTree((String) run.agenticScope().readState("stagedJson")), expected);
        assertEquals("conclusion: " + expected.conclusion(), run.result());
    }

    /** The next agent in the sequence reads what LLaVA-o1 wrote. */
    public static class ConclusionReader {
        @dev.langchain4j.agentic.Agent(name = "reader", description = "reads the conclusion", outputKey = "report")
        public String read(@dev.langchain4j.service.V("staged") ReasoningResult staged) {
            return "conclusion: " + staged.conclusion();
        }
    }
}
