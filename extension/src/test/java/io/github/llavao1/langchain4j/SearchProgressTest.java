package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.StageTrace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An observer bound with {@link SearchProgress} sees the search of the requests made inside it, blocking or
 * streaming: every candidate's tokens before its step is decided, and every step's trace as the result has it, in
 * order. What holds for any weights: nothing here depends on which tokens are sampled.
 */
class SearchProgressTest {

    private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from(
            TinyModel.imageContent("square.png"), TextContent.from("What is in the picture?"))).build();

    /** Events in arrival order: "token STEP CANDIDATE" and "decided STEP". */
    private static final class Observer implements ReasoningListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<StageTrace> traces = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onCandidateToken(String step, int candidate, String textDelta) {
            events.add("token " + step + " " + candidate);
        }

        @Override
        public void onStepDecided(StageTrace trace) {
            events.add("decided " + trace.step());
            traces.add(trace);
        }
    }

    @Test
    void blockingRequestReportsEveryCandidateBeforeItsDecision() {
        Observer observer = new Observer();
        ChatResponse response = SearchProgress.call(observer,
                () -> TinyModel.chatModel(TinyModel.small()).build().chat(REQUEST));
        assertSeenAsSearched(observer, reasoning(response));
    }

    @Test
    void streamingRequestCarriesTheObserverToItsThread() throws Exception {
        Observer observer = new Observer();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        LlavaO1StreamingChatModel model = LlavaO1StreamingChatModel.builder().engine(TinyModel.handle())
                .reasoning(TinyModel.small()).build();
        SearchProgress.run(observer, () -> model.chat(REQUEST, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        }));
        assertSeenAsSearched(observer, reasoning(done.get(2, TimeUnit.MINUTES)));
    }

    @Test
    void outsideTheCallNothingIsReported() {
        Observer observer = new Observer();
        SearchProgress.run(observer, () -> { });
        TinyModel.chatModel(TinyModel.small()).build().chat(REQUEST);
        assertTrue(observer.events.isEmpty(), observer.events.toString());
        assertThrows(NullPointerException.class, () -> SearchProgress.run(null, () -> { }));
    }

    private static void assertSeenAsSearched(Observer observer, ReasoningResult result) {
        assertEquals(result.steps().size(), observer.traces.size(), "one decision per step");
        for (int i = 0; i < result.steps().size(); i++) {
            StageTrace expected = result.steps().get(i);
            StageTrace seen = observer.traces.get(i);
            assertEquals(expected.step(), seen.step());
            assertEquals(expected.candidates(), seen.candidates());
            assertEquals(expected.judgements(), seen.judgements());
            assertEquals(expected.winner(), seen.winner());
        }
        // every candidate sampled at least one token, reported before its step's decision and after the previous one
        Set<String> decided = new HashSet<>();
        Set<String> tokensSeen = new HashSet<>();
        for (String event : observer.events) {
            String[] parts = event.split(" ");
            if (parts[0].equals("decided")) {
                decided.add(parts[1]);
            } else {
                assertTrue(!decided.contains(parts[1]), "a token of " + parts[1] + " after its decision");
                tokensSeen.add(parts[1] + " " + parts[2]);
            }
        }
        for (StageTrace step : result.steps()) {
            for (int c = 0; c < step.candidates().size(); c++) {
                assertTrue(tokensSeen.contains(step.step() + " " + c), "tokens of " + step.step() + " candidate " + c);
            }
        }
    }

    private static ReasoningResult reasoning(ChatResponse response) {
        return ((LlavaO1ChatResponseMetadata) response.metadata()).reasoning();
    }
}
