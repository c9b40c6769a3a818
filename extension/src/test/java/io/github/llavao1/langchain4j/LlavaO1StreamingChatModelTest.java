package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Streaming: callbacks in order, the same final result as the blocking model, errors and cancellation. */
class LlavaO1StreamingChatModelTest {

    private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from(
            TinyModel.imageContent("square.png"), TextContent.from("What is in the picture?"))).build();

    /** Records every callback in order, as "thinking:", "response:", "complete" and "error:" events. */
    private static final class Recorder implements StreamingChatResponseHandler {
        final List<String> events = new ArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        boolean cancelOnFirstThinking;

        @Override
        public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
            events.add("thinking:" + thinking.text());
            if (cancelOnFirstThinking) {
                context.streamingHandle().cancel();
            }
        }

        @Override
        public void onPartialResponse(PartialResponse response, PartialResponseContext context) {
            events.add("response:" + response.text());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            events.add("complete");
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            events.add("error:" + error.getMessage());
            done.completeExceptionally(error);
        }
    }

    @Test
    void stagesStreamAsDecidedThenTheCompleteResponseEqualsTheBlockingOne() throws Exception {
        ReasoningSettings settings = TinyModel.staged();
        LlavaO1StreamingChatModel streaming = LlavaO1StreamingChatModel.builder().engine(TinyModel.constructedHandle())
                .reasoning(settings).build();
        Recorder recorder = new Recorder();
        streaming.chat(REQUEST, recorder);
        ChatResponse streamed = recorder.done.get(2, TimeUnit.MINUTES);

        ChatResponse blocking = TinyModel.constructedChatModel(settings).build().chat(REQUEST);
        LlavaO1ChatResponseMetadata streamedMeta = assertInstanceOf(LlavaO1ChatResponseMetadata.class, streamed.metadata());
        LlavaO1ChatResponseMetadata blockingMeta = (LlavaO1ChatResponseMetadata) blocking.metadata();
        assertEquals(TinyModel.withoutTimings(blockingMeta.reasoning()), TinyModel.withoutTimings(streamedMeta.reasoning()));
        assertEquals(blocking.aiMessage(), streamed.aiMessage());
        assertEquals(blocking.tokenUsage(), streamed.tokenUsage());
        assertEquals(blocking.finishReason(), streamed.finishReason());

        // order: thinking first (three stages), then the conclusion, then complete, nothing after
        List<String> events = recorder.events;
        assertEquals("complete", events.get(events.size() - 1));
        int lastThinking = -1;
        int firstResponse = events.size();
        StringBuilder thinking = new StringBuilder();
        StringBuilder response = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith("thinking:")) {
                lastThinking = i;
                thinking.append(events.get(i).substring("thinking:".length()));
            } else if (events.get(i).startsWith("response:")) {
                firstResponse = Math.min(firstResponse, i);
                response.append(events.get(i).substring("response:".length()));
            }
        }
        assertTrue(lastThinking >= 0, "thinking streamed: " + events);
        assertTrue(lastThinking < firstResponse, "thinking before the conclusion: " + events);
        StringBuilder decidedBeforeConclusion = new StringBuilder();
        streamedMeta.reasoning().steps().stream().filter(step -> step.stage() != Stage.CONCLUSION)
                .forEach(step -> decidedBeforeConclusion.append(step.winnerCandidate().text()));
        assertEquals(decidedBeforeConclusion.toString(), thinking.toString(), "the decided stages, in order");
        // the partial responses are the CONCLUSION step as decided, without its tags: the parsed conclusion
        String decidedConclusion = streamedMeta.reasoning().steps().stream()
                .filter(step -> step.stage() == Stage.CONCLUSION).findFirst().orElseThrow().winnerCandidate().text();
        assertTrue(decidedConclusion.startsWith("<CONCLUSION> " + response), decidedConclusion);
        assertEquals(streamedMeta.reasoning().conclusion(), response.toString());
        assertTrue(events.stream().filter(e -> e.startsWith("response:")).count() > 1, "the conclusion in pieces");
    }

    /** An answer that ends with EOS before its CONCLUSION streams the blocking text last, in one piece. */
    @Test
    void anAnswerEndingBeforeItsConclusionStreamsTheBlockingTextLast() throws Exception {
        // asked "briefly", the constructed checkpoint ends its turn right after </CAPTION>
        ReasoningSettings settings = TinyModel.staged();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(TinyModel.imageContent("square.png"),
                TextContent.from("Answer briefly: how many red circles are there?"))).build();
        Recorder recorder = new Recorder();
        LlavaO1StreamingChatModel.builder().engine(TinyModel.constructedHandle()).reasoning(settings).build()
                .chat(request, recorder);
        ChatResponse streamed = recorder.done.get(2, TimeUnit.MINUTES);

        LlavaO1ChatResponseMetadata meta = assertInstanceOf(LlavaO1ChatResponseMetadata.class, streamed.metadata());
        assertTrue(meta.reasoning().steps().stream().noneMatch(step -> step.stage() == Stage.CONCLUSION),
                "the premise: no CONCLUSION step");
        List<String> events = recorder.events;
        String lastPartial = events.get(events.size() - 2);
        assertEquals("response:" + meta.reasoning().answer().trim(), lastPartial, "one response partial, last: " + events);
        assertEquals(1, events.stream().filter(e -> e.startsWith("response:")).count(), events.toString());
        assertEquals(meta.reasoning().answer().trim(), streamed.aiMessage().text(), "no conclusion: the answer so far");
        assertEquals(TinyModel.constructedChatModel(settings).build().chat(request).aiMessage(), streamed.aiMessage());
    }

    /**
     * In every mode, with a stop sequence (which random text may or may not hold): the partials concatenate exactly to the complete response's
     * text and thinking, which equal the blocking model's, as do token usage and finish reason; both carry an id.
     */
    @Test
    void everyModeStreamsExactlyTheBlockingMessage() throws Exception {
        for (ReasoningMode mode : ReasoningMode.values()) {
            for (List<String> stops : List.of(List.of("e"))) {
                ReasoningSettings settings = TinyModel.small().toBuilder().mode(mode).build();
                LlavaO1StreamingChatModel streaming = LlavaO1StreamingChatModel.builder().engine(TinyModel.handle())
                        .reasoning(settings).stopSequences(stops).build();
                Recorder recorder = new Recorder();
                streaming.chat(REQUEST, recorder);
                ChatResponse streamed = recorder.done.get(2, TimeUnit.MINUTES);
                ChatResponse blocking = TinyModel.chatModel(settings).stopSequences(stops).build().chat(REQUEST);
                String label = mode + " " + stops;
                StringBuilder thinking = new StringBuilder();
                StringBuilder response = new StringBuilder();
                for (String event : recorder.events) {
                    if (event.startsWith("thinking:")) {
                        thinking.append(event.substring("thinking:".length()));
                    } else if (event.startsWith("response:")) {
                        response.append(event.substring("response:".length()));
                    }
                }
                assertEquals(streamed.aiMessage().text(), response.toString(), label);
                assertEquals(streamed.aiMessage().thinking() == null ? "" : streamed.aiMessage().thinking(),
                        thinking.toString(), label);
                assertEquals(blocking.aiMessage(), streamed.aiMessage(), label);
                assertEquals(blocking.tokenUsage(), streamed.tokenUsage(), label);
                assertEquals(blocking.finishReason(), streamed.finishReason(), label);
                assertTrue(streamed.id().startsWith("llava-o1-") && blocking.id().startsWith("llava-o1-"), label);
                assertNotEquals(blocking.id(), streamed.id(), label);
            }
        }
    }

    @Test
    void plainModeStreamsTokensAndMatchesTheBlockingResult() throws Exception {
        ReasoningSettings settings = TinyModel.plain();
        LlavaO1StreamingChatModel streaming = LlavaO1StreamingChatModel.builder().engine(TinyModel.handle())
                .reasoning(settings).includeStagesInText(true).build();
        Recorder recorder = new Recorder();
        streaming.chat(REQUEST, recorder);
        ChatResponse streamed = recorder.done.get(2, TimeUnit.MINUTES);
        ChatResponse blocking = TinyModel.chatModel(settings).includeStagesInText(true).build().chat(REQUEST);
        assertEquals(blocking.aiMessage().text(), streamed.aiMessage().text());
        long partials = recorder.events.stream().filter(e -> e.startsWith("response:")).count();
        assertTrue(partials > 1, "token by token: " + recorder.events);
        String joined = String.join("", recorder.events.stream().filter(e -> e.startsWith("response:"))
                .map(e -> e.substring("response:".length())).toList());
        assertEquals(streamed.aiMessage().text(), joined);
    }

    @Test
    void errorsArriveThroughOnErrorAndListeners() throws Exception {
        List<String> listened = new ArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onResponse(ChatModelResponseContext context) {
                listened.add("response");
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                listened.add("error");
            }
        };
        LlavaO1StreamingChatModel streaming = LlavaO1StreamingChatModel.builder().engine(TinyModel.handle())
                .reasoning(TinyModel.plain()).listeners(List.of(listener)).build();
        Recorder recorder = new Recorder();
        streaming.chat(ChatRequest.builder().messages(UserMessage.from(ImageContent.from("file:///etc/passwd"),
                TextContent.from("?"))).build(), recorder);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> recorder.done.get(1, TimeUnit.MINUTES));
        assertInstanceOf(ImageAccessDeniedException.class, e.getCause());
        assertEquals(1, recorder.events.size());
        assertTrue(recorder.events.get(0).contains("outside the allowed roots")
                || recorder.events.get(0).contains("local files are disabled"), recorder.events.get(0));
        assertEquals(List.of("error"), listened);
        assertInstanceOf(InvalidImageException.class, e.getCause());
    }

    @Test
    void cancellingStopsTheSearchAndNothingFollows() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            // generous budgets: only cancellation can end this request quickly
            ReasoningSettings settings = ReasoningSettings.builder().maxTokens(200).judgeMaxTokens(200).build();
            LlavaO1StreamingChatModel streaming = LlavaO1StreamingChatModel.builder().engine(TinyModel.constructedHandle())
                    .reasoning(settings).executor(executor).build();
            Recorder recorder = new Recorder();
            recorder.cancelOnFirstThinking = true;
            int before = TinyModel.constructedHandle().get().liveNativeArrays();
            streaming.chat(REQUEST, recorder);
            executor.shutdown();
            assertTrue(executor.awaitTermination(2, TimeUnit.MINUTES), "the worker ended");
            assertEquals(1, recorder.events.size(), "one thinking event, then nothing: " + recorder.events);
            assertTrue(recorder.events.get(0).startsWith("thinking:"));
            assertEquals(before, TinyModel.constructedHandle().get().liveNativeArrays(), "the cancelled request freed its state");
        } finally {
            executor.shutdownNow();
        }
    }
}
