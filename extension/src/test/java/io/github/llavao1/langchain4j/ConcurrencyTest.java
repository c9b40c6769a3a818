package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.github.llavao1.reasoning.ReasoningSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One model instance under 8 threads × 25 requests: every answer equals the one the same request gets alone (so
 * requests never mix), and the engine's live native arrays are the same before and after (nothing leaks).
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int REQUESTS_PER_THREAD = 25;

    @Test
    void requestsFromManyThreadsNeverMixAndLeakNothing() throws Exception {
        // plain mode, a short budget: the point is the number of interleaved requests, not their length
        ReasoningSettings settings = ReasoningSettings.builder().mode(io.github.llavao1.reasoning.ReasoningMode.PLAIN)
                .maxTokens(2).seed(11L).build();
        LlavaO1ChatModel model = TinyModel.chatModel(settings).build();
        List<ChatRequest> requests = List.of(
                request("How many circles?", "square.png"),
                request("Describe the colours.", "wide.png"),
                request("What is in the corner?", "rgba.png"),
                ChatRequest.builder().messages(UserMessage.from("A text-only question.")).build());
        List<String> expected = new ArrayList<>();
        for (ChatRequest request : requests) {
            expected.add(model.chat(request).aiMessage().text());
        }
        assertEquals(requests.size(), new java.util.HashSet<>(expected).size(),
                "distinct answers, so a mixed-up request would show: " + expected);
        int before = TinyModel.handle().get().liveNativeArrays();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        int which = (thread + i) % requests.size();
                        assertEquals(expected.get(which), model.chat(requests.get(which)).aiMessage().text(),
                                "thread " + thread + " request " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before, TinyModel.handle().get().liveNativeArrays(), "native arrays after 200 requests");
    }

    private static ChatRequest request(String question, String image) {
        return ChatRequest.builder().messages(UserMessage.from(TinyModel.imageContent(image),
                TextContent.from(question))).build();
    }
}
