package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.llavao1.langchain4j.LlavaO1ReasoningTool;
import io.quarkiverse.langchain4j.RegisterAiService;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reasoning tool bean in {@code @RegisterAiService(tools = LlavaO1ReasoningTool.class)}: a scripted planner model
 * calls it with a file under {@code image.allowed-roots}, and the tool's staged JSON comes back as the answer.
 */
class ToolInAiServiceTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, Planner.class, PlannerSupplier.class,
                            Assistant.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES
                            + "quarkus.langchain4j.llava-o1.image.allowed-roots=" + TinyCheckpoint.DIR + "\n"),
                            "application.properties"));

    @RegisterAiService(tools = LlavaO1ReasoningTool.class, chatLanguageModelSupplier = PlannerSupplier.class)
    interface Assistant {
        String ask(String question);
    }

    /** Asks for the tool once, then answers with whatever the tool returned. */
    static class Planner implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            if (messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage result) {
                return ChatResponse.builder().aiMessage(AiMessage.from("tool said: " + result.text())).build();
            }
            ToolExecutionRequest call = ToolExecutionRequest.builder().id("1").name("reasonAboutImage")
                    .arguments("{\"image\": \"" + TinyCheckpoint.DIR.resolve("square.png")
                            + "\", \"question\": \"What shape is this?\"}")
                    .build();
            return ChatResponse.builder().aiMessage(AiMessage.from(call)).build();
        }
    }

    public static class PlannerSupplier implements Supplier<ChatModel> {
        @Override
        public ChatModel get() {
            return new Planner();
        }
    }

    @Inject
    Assistant assistant;

    @Test
    @ActivateRequestContext
    void theToolAnswersWithTheStagedResult() {
        String answer = assistant.ask("Look at square.png and tell me its shape");
        assertTrue(answer.startsWith("tool said: "), answer);
        // The tool's JSON arrives as a JSON string (quarkus-langchain4j quotes String results), so match unquoted.
        assertTrue(answer.contains("conclusion") && answer.contains("STAGE_BEAM"), answer);
    }
}
