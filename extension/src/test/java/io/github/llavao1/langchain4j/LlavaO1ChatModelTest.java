package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.engine.text.ContentPart;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StageTrace;
import io.github.llavao1.reasoning.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blocking chat model on the tiny random checkpoint: mapping of messages, parameters and results. */
class LlavaO1ChatModelTest {

    private static final String QUESTION = "How many red circles are there?";

    private static ChatResponse chat(LlavaO1ChatModel model, ChatRequestParameters parameters,
                                     dev.langchain4j.data.message.ChatMessage... messages) {
        ChatRequest.Builder request = ChatRequest.builder().messages(messages);
        if (parameters != null) {
            request.parameters(parameters);
        }
        return model.chat(request.build());
    }

    private static LlavaO1ChatResponseMetadata metadata(ChatResponse response) {
        return assertInstanceOf(LlavaO1ChatResponseMetadata.class, response.metadata());
    }

    @Test
    void chatWithAnImageAnswersWithTheConclusionAndCarriesTheStages() {
        LlavaO1ChatModel model = TinyModel.constructedChatModel(TinyModel.staged()).build();
        ChatResponse response = chat(model, null,
                UserMessage.from(TinyModel.imageContent("square.png"), TextContent.from(QUESTION)));

        ReasoningResult result = metadata(response).reasoning();
        assertEquals(ReasoningMode.STAGE_BEAM, result.mode());
        assertEquals(8L, result.seed());
        assertEquals(4, result.steps().size(), "one step per stage");
        // the message is the answer as the stages wrote it (what the streaming model streams): thinking is the
        // first three stages' winners, tags included, the text the CONCLUSION without its tags
        StringBuilder firstThree = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            firstThree.append(result.steps().get(i).winnerCandidate().text());
        }
        assertEquals(firstThree.toString(), response.aiMessage().thinking());
        assertTrue(firstThree.toString().startsWith("<SUMMARY> We will describe the image first.</SUMMARY><CAPTION>"),
                firstThree.toString());
        assertEquals(result.conclusion(), response.aiMessage().text(), "the parsed CONCLUSION");
        assertTrue(response.aiMessage().text().matches(
                "The picture holds (exactly|roughly) a few coloured figures, so count each one\\."), response.aiMessage().text());
        assertEquals(FinishReason.STOP, response.finishReason());
        assertTrue(response.id().startsWith("llava-o1-"), response.id());
        assertNotEquals(response.id(), chat(model, null,
                UserMessage.from(TinyModel.imageContent("square.png"), TextContent.from(QUESTION))).id(),
                "a fresh id per response");
        // prompt tokens: the rendered single turn, image first as the template places it
        LlavaEngine engine = TinyModel.constructedHandle().get();
        int prompt = engine.encodePrompt(List.of(new PromptMessage(io.github.llavao1.engine.text.Role.USER,
                List.of(ContentPart.image(0), ContentPart.text(QUESTION))))).length;
        assertEquals(prompt, response.tokenUsage().inputTokenCount());
        assertEquals(result.answerTokens(), response.tokenUsage().outputTokenCount());
        assertTrue(metadata(response).candidateTokens() >= 2 * result.answerTokens(), "two candidates a stage");
        // every stage's two candidates are well-formed, so each step ran a judge (and REASONING two pre-checks)
        assertTrue(metadata(response).judgeTokens() > 0);
        assertEquals(result.steps().stream().mapToInt(s -> s.judgeTokens()).sum(), metadata(response).judgeTokens());
        assertEquals("constructed-mllama", response.modelName());
    }

    @Test
    void anAnswerThatEndsWithEosBeforeItsConclusionAnswersWithTheAnswerSoFar() {
        // asked "briefly", the constructed checkpoint ends its turn right after </CAPTION>
        LlavaO1ChatModel model = TinyModel.constructedChatModel(TinyModel.staged()).build();
        ChatResponse response = chat(model, null,
                UserMessage.from(TinyModel.imageContent("square.png"), TextContent.from("Answer briefly: " + QUESTION)));

        ReasoningResult result = metadata(response).reasoning();
        StageTrace last = result.steps().get(result.steps().size() - 1);
        assertEquals(Stage.REASONING, last.stage(), "REASONING's candidates end the turn at once: no CONCLUSION step");
        assertEquals(StopReason.EOS, last.winnerCandidate().finishReason());
        assertEquals("", result.conclusion(), "nothing after the last tag");
        assertEquals(List.of(Stage.REASONING, Stage.CONCLUSION), result.repairedStages(), "the two stages never written");
        assertTrue(result.caption().matches("It shows (red|blue) shapes on white\\."), result.caption());
        assertEquals(result.answer().trim(), response.aiMessage().text(), "the text is never blank: the answer so far");
        assertTrue(response.aiMessage().text().endsWith("</CAPTION>"), response.aiMessage().text());
        StringBuilder winners = new StringBuilder();
        result.steps().forEach(step -> winners.append(step.winnerCandidate().text()));
        assertEquals(winners.toString(), response.aiMessage().thinking(), "the stages written stay the thinking");
        assertEquals(FinishReason.STOP, response.finishReason());
    }

    @Test
    void includeStagesInTextGivesTheWholeAnswer() {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).includeStagesInText(true).build();
        ChatResponse response = chat(model, null, UserMessage.from(TinyModel.imageContent("square.png"),
                TextContent.from(QUESTION)));
        assertEquals(metadata(response).reasoning().answer(), response.aiMessage().text());
    }

    @Test
    void multiTurnHistoryIsRenderedWithTheChatTemplate() {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).build();
        ChatResponse response = chat(model, null,
                UserMessage.from(TinyModel.imageContent("square.png"), TextContent.from(QUESTION)),
                AiMessage.from("There are two."),
                UserMessage.from("And how many blue ones?"));

        LlavaEngine engine = TinyModel.handle().get();
        List<PromptMessage> expected = List.of(
                new PromptMessage(io.github.llavao1.engine.text.Role.USER,
                        List.of(ContentPart.image(0), ContentPart.text(QUESTION))),
                PromptMessage.assistant("There are two."),
                PromptMessage.user("And how many blue ones?"));
        assertEquals(engine.encodePrompt(expected).length, response.tokenUsage().inputTokenCount(),
                "the search starts from the whole conversation");

        ChatResponse lastTurnOnly = chat(model, null, UserMessage.from("And how many blue ones?"));
        assertNotEquals(metadata(lastTurnOnly).reasoning().answer(), metadata(response).reasoning().answer(),
                "the history changes the answer");
    }

    @Test
    void systemMessageWithAnImageIsFoldedIntoTheFirstUserTurn() {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).build();
        ChatResponse response = chat(model, null, SystemMessage.from("Answer briefly."),
                UserMessage.from(TinyModel.imageContent("square.png"), TextContent.from(QUESTION)));
        LlavaEngine engine = TinyModel.handle().get();
        int expected = engine.encodePrompt(List.of(new PromptMessage(io.github.llavao1.engine.text.Role.USER,
                List.of(ContentPart.image(0), ContentPart.text("Answer briefly.\n\n"), ContentPart.text(QUESTION)))))
                .length;
        assertEquals(expected, response.tokenUsage().inputTokenCount());

        ChatResponse textOnly = chat(model, null, SystemMessage.from("Answer briefly."), UserMessage.from(QUESTION));
        int withSystemBlock = engine.encodePrompt(List.of(PromptMessage.system("Answer briefly."),
                PromptMessage.user(QUESTION))).length;
        assertEquals(withSystemBlock, textOnly.tokenUsage().inputTokenCount(), "text-only keeps the system block");
    }

    @Test
    void temperatureZeroIsGreedyWhateverTheSeed() {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).temperature(0.0).build();
        String a = chat(model, LlavaO1ChatRequestParameters.builder().seed(1L).build(), UserMessage.from(QUESTION))
                .aiMessage().text();
        String b = chat(model, LlavaO1ChatRequestParameters.builder().seed(2L).build(), UserMessage.from(QUESTION))
                .aiMessage().text();
        assertEquals(a, b);
    }

    @Test
    void topKOfOneIsGreedyAtAnyTemperature() {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).build();
        ReasoningResult greedy = metadata(chat(model, ChatRequestParameters.builder().temperature(0.0).build(),
                UserMessage.from(QUESTION))).reasoning();
        ReasoningResult topOne = metadata(chat(model, LlavaO1ChatRequestParameters.builder().temperature(1.5).topK(1)
                .seed(99L).build(), UserMessage.from(QUESTION))).reasoning();
        ReasoningResult sampled = metadata(chat(model, LlavaO1ChatRequestParameters.builder().temperature(1.5)
                .seed(99L).build(), UserMessage.from(QUESTION))).reasoning();
        assertEquals(greedy.answer(), topOne.answer());
        assertNotEquals(greedy.answer(), sampled.answer(), "without top-k, temperature 1.5 samples something else");
    }

    @Test
    void seedReproducesAndProviderParametersPickModeAndCandidates() {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.small()).build();
        LlavaO1ChatRequestParameters params = LlavaO1ChatRequestParameters.builder().seed(123L)
                .reasoningMode(ReasoningMode.BEST_OF_N).candidates(3).build();
        ReasoningResult first = metadata(chat(model, params, UserMessage.from(QUESTION))).reasoning();
        ReasoningResult second = metadata(chat(model, params, UserMessage.from(QUESTION))).reasoning();
        assertEquals(ReasoningMode.BEST_OF_N, first.mode());
        assertEquals(123L, first.seed());
        assertEquals(3, first.steps().get(0).candidates().size());
        assertEquals(TinyModel.withoutTimings(first), TinyModel.withoutTimings(second));
    }

    @Test
    void maxOutputTokensCapsTheAnswerAndReportsLength() {
        for (ReasoningMode mode : List.of(ReasoningMode.STAGE_BEAM, ReasoningMode.PLAIN)) {
            // the constructed checkpoint's answer is 38 tokens long, so 5 cut it inside its SUMMARY
            LlavaO1ChatModel model = TinyModel.constructedChatModel(TinyModel.staged().toBuilder().mode(mode).build())
                    .build();
            ChatResponse response = chat(model, ChatRequestParameters.builder().maxOutputTokens(5).build(),
                    UserMessage.from(QUESTION));
            ReasoningResult result = metadata(response).reasoning();
            assertEquals(5, result.answerTokens(), mode.toString());
            assertEquals(FinishReason.LENGTH, response.finishReason(), mode.toString());
            assertFalse(response.aiMessage().text().isBlank(), mode + ": the model wrote visible text");
            assertTrue(result.answer().contains(response.aiMessage().text()), mode + ": " + response.aiMessage().text());
        }
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).build();
        assertThrows(IllegalArgumentException.class, () -> chat(model,
                ChatRequestParameters.builder().maxOutputTokens(3).build(), UserMessage.from(QUESTION)));
    }

    @Test
    void stopSequencesCutTheText() {
        LlavaO1ChatModel model = TinyModel.constructedChatModel(TinyModel.staged().toBuilder().mode(ReasoningMode.PLAIN)
                .build()).includeStagesInText(true).build();
        String full = chat(model, null, UserMessage.from(QUESTION)).aiMessage().text();
        assertTrue(full.startsWith("<SUMMARY> We will describe the image first.</SUMMARY><CAPTION> It shows"), full);
        ChatResponse cut = chat(model, ChatRequestParameters.builder().stopSequences(" shows").build(),
                UserMessage.from(QUESTION));
        assertEquals("<SUMMARY> We will describe the image first.</SUMMARY><CAPTION> It", cut.aiMessage().text());
        assertEquals(FinishReason.STOP, cut.finishReason());
    }

    @Test
    void stopSequencesEndGenerationWhereTheTextEnds() {
        LlavaO1ChatModel model = TinyModel.constructedChatModel(TinyModel.staged()).build();
        ChatResponse full = chat(model, null, UserMessage.from(QUESTION));
        String conclusion = full.aiMessage().text();
        String stop = " few";
        ChatResponse cut = chat(model, ChatRequestParameters.builder().stopSequences(stop).build(),
                UserMessage.from(QUESTION));
        assertEquals(conclusion.substring(0, conclusion.indexOf(stop)), cut.aiMessage().text());
        assertTrue(cut.aiMessage().text().matches("The picture holds (exactly|roughly) a"), cut.aiMessage().text());
        assertEquals(full.aiMessage().thinking(), cut.aiMessage().thinking(), "the thinking stages are not cut");
        assertEquals(FinishReason.STOP, cut.finishReason());
        ReasoningResult result = metadata(cut).reasoning();
        StageTrace last = result.steps().get(result.steps().size() - 1);
        assertEquals(Stage.CONCLUSION, last.stage());
        assertEquals(StopReason.STOP_STRING, last.winnerCandidate().finishReason(),
                "the CONCLUSION step stopped at the stop sequence");
        assertTrue(cut.tokenUsage().outputTokenCount() < full.tokenUsage().outputTokenCount(),
                cut.tokenUsage() + " vs " + full.tokenUsage());
        assertEquals(result.answerTokens(), cut.tokenUsage().outputTokenCount());
    }

    @Test
    void unsupportedParametersFailFastNamingTheParameter() {
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).build();
        ToolSpecification tool = ToolSpecification.builder().name("lookup").build();
        assertMessageStartsWith("toolSpecifications", assertThrows(UnsupportedFeatureException.class, () ->
                chat(model, ChatRequestParameters.builder().toolSpecifications(tool).build(), UserMessage.from("hi"))));
        assertMessageStartsWith("frequencyPenalty", assertThrows(UnsupportedFeatureException.class, () ->
                chat(model, ChatRequestParameters.builder().frequencyPenalty(0.5).build(), UserMessage.from("hi"))));
        assertMessageStartsWith("presencePenalty", assertThrows(UnsupportedFeatureException.class, () ->
                chat(model, ChatRequestParameters.builder().presencePenalty(0.5).build(), UserMessage.from("hi"))));
        assertMessageStartsWith("responseFormat", assertThrows(UnsupportedFeatureException.class, () ->
                chat(model, ChatRequestParameters.builder().responseFormat(ResponseFormat.JSON).build(),
                        UserMessage.from("hi"))));
        assertThrows(IllegalArgumentException.class, () -> chat(model, null, UserMessage.from("hi"),
                AiMessage.from("hello")), "the last message must be the user's");
        assertThrows(UnsupportedFeatureException.class, () -> TinyModel.chatModel(TinyModel.plain())
                .temperature(0.1).build().chat(ChatRequest.builder().messages(UserMessage.from("x"))
                        .parameters(ChatRequestParameters.builder().frequencyPenalty(1.0).build()).build()));
    }

    private static void assertMessageStartsWith(String prefix, Throwable e) {
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void listenersReceiveRequestResponseAndErrorOnce() {
        List<String> events = new ArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                events.add("request " + context.chatRequest().parameters().temperature());
            }

            @Override
            public void onResponse(ChatModelResponseContext context) {
                events.add("response " + (context.chatResponse().metadata() instanceof LlavaO1ChatResponseMetadata));
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                events.add("error " + context.error().getClass().getSimpleName());
            }
        };
        LlavaO1ChatModel model = TinyModel.chatModel(TinyModel.plain()).temperature(0.3)
                .listeners(List.of(listener)).build();
        chat(model, null, UserMessage.from(QUESTION));
        assertEquals(List.of("request 0.3", "response true"), events);

        events.clear();
        assertThrows(InvalidImageException.class, () -> chat(model, null,
                UserMessage.from(dev.langchain4j.data.message.ImageContent.from("/etc/passwd"), TextContent.from("?"))));
        assertEquals(List.of("request 0.3", "error ImageAccessDeniedException"), events);
    }

    @Test
    void buildLoadsNothingUntilTheFirstRequest() {
        LlavaO1ChatModel model = LlavaO1ChatModel.builder().modelPath(java.nio.file.Path.of("/no/such/checkpoint"))
                .device("cpu").build();
        assertFalse(model.engine().isLoaded());
        assertEquals(java.nio.file.Path.of("/no/such/checkpoint"), model.engine().modelPath());
        RuntimeException e = assertThrows(RuntimeException.class, () -> model.chat("hello"));
        assertTrue(e.getMessage().contains("/no/such/checkpoint"), e.getMessage());
        assertFalse(model.engine().isLoaded());
        assertNull(LlavaEngineHandle.of(TinyModel.handle().get()).modelPath());
    }

    @Test
    void aModelIdIsFetchedOnTheFirstRequestAndNamesTheModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cache)
            throws Exception {
        try (io.github.llavao1.hub.FakeHub hub = new io.github.llavao1.hub.FakeHub(
                io.github.llavao1.engine.testing.Fixtures.tinyCheckpoint(), "Org/Tiny", "fedcba9876543210fedcba9876543210fedcba98")) {
            LlavaO1ChatModel model = LlavaO1ChatModel.builder().modelId("Org/Tiny").hubEndpoint(hub.endpoint())
                    .cacheDir(cache).device("cpu").maxTokens(4).build();
            assertEquals(List.of(), hub.requests());
            assertFalse(model.engine().isLoaded());

            ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());

            assertEquals("Org/Tiny", response.modelName());
            assertTrue(model.engine().isLoaded());
            assertEquals(cache.resolve("models--Org--Tiny/snapshots/fedcba9876543210fedcba9876543210fedcba98"),
                    model.engine().modelPath());
            assertTrue(model.engine().lastProgress().done(), model.engine().lastProgress().toString());
            model.engine().close();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LlavaO1ChatModel.builder().build());
        assertEquals("modelPath or modelId (or engine) must be set", e.getMessage());
    }
}
