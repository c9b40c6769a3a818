package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.langchain4j.LlavaO1ReasoningTool;
import io.github.llavao1.reasoning.DecidedBy;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StageTrace;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension's happy path end to end, as a user's application gets it from {@code application.properties}: on the
 * constructed checkpoint (answers fixed by construction) the injected chat model, streaming model and tool answer
 * with the CONCLUSION of a stage-level beam search whose four stages closed and whose every comparison the judge
 * decided.
 */
class ConstructedModelTest {

    private static final Path DIR = Fixtures.constructedCheckpoint();
    private static final String CONCLUSION = "The picture holds (exactly|roughly) a few coloured figures, so count each one\\.";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset("""
                    quarkus.langchain4j.llava-o1.model-path=%s
                    quarkus.langchain4j.llava-o1.reasoning.max-tokens=16
                    quarkus.langchain4j.llava-o1.reasoning.judge-max-tokens=16
                    """.formatted(DIR)), "application.properties"));

    @Inject
    ChatModel chatModel;

    @Inject
    StreamingChatModel streamingChatModel;

    @Inject
    LlavaO1ReasoningTool tool;

    private static UserMessage question() throws Exception {
        String png = Base64.getEncoder().encodeToString(Files.readAllBytes(DIR.resolve("square.png")));
        return UserMessage.from(ImageContent.from(png, "image/png"), TextContent.from("How many shapes are there?"));
    }

    private static void assertJudgedStages(ReasoningResult reasoning) {
        assertEquals(List.of(Stage.values()), reasoning.steps().stream().map(StageTrace::stage).toList());
        assertEquals(List.of(), reasoning.repairedStages(), "every stage closed");
        for (StageTrace step : reasoning.steps()) {
            assertEquals(DecidedBy.JUDGE, step.judgements().get(0).decidedBy(), step.step());
        }
    }

    @Test
    void theChatModelAnswersWithTheConclusionOfAJudgedSearch() throws Exception {
        ChatResponse response = chatModel.chat(ChatRequest.builder().messages(question()).build());
        ReasoningResult reasoning = assertInstanceOf(LlavaO1ChatResponseMetadata.class, response.metadata()).reasoning();
        assertJudgedStages(reasoning);
        assertTrue(response.aiMessage().text().matches(CONCLUSION), response.aiMessage().text());
        assertTrue(response.aiMessage().thinking().startsWith("<SUMMARY> We will describe the image first.</SUMMARY>"),
                response.aiMessage().thinking());
        assertEquals(FinishReason.STOP, response.finishReason());
    }

    @Test
    void theStreamingModelStreamsTheSameKindOfAnswer() throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder partials = new StringBuilder();
        streamingChatModel.chat(ChatRequest.builder().messages(question()).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(2, TimeUnit.MINUTES);
        assertJudgedStages(((LlavaO1ChatResponseMetadata) response.metadata()).reasoning());
        assertEquals(response.aiMessage().text(), partials.toString());
        assertTrue(partials.toString().matches(CONCLUSION), partials.toString());
    }

    @Test
    void theToolReturnsTheStagesAsJson() throws Exception {
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(DIR.resolve("square.png")));
        JsonNode json = new ObjectMapper().readTree(tool.reasonAboutImage(image, "How many shapes are there?"));
        assertEquals("We will describe the image first.", json.get("summary").asText());
        assertTrue(json.get("caption").asText().matches("It shows (red|blue) shapes on white\\."), json.toString());
        assertTrue(json.get("conclusion").asText().matches(CONCLUSION), json.toString());
    }
}
