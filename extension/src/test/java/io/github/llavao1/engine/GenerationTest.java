package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.generate.TokenListener;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation on the tiny checkpoint: batching, forking, sampling, stops, streaming, cancellation, memory. */
class GenerationTest {

    private static LlavaEngine engine;
    private static ProcessedImage square;
    private static int[] squarePrompt;
    private static int[] squareGreedy;

    @BeforeAll
    static void load() {
        engine = Tiny.goldenEngine();
        square = engine.processImage(Fixtures.goldenCheckpoint().resolve("square.png"));
        squarePrompt = Fixtures.ints(Fixtures.referenceCase("square").get("input_ids"));
        squareGreedy = Fixtures.ints(Fixtures.referenceCase("square").get("greedy_new_ids"));
    }

    private static GenerationOptions greedy(int tokens) {
        return GenerationOptions.builder().temperature(0).maxNewTokens(tokens).ignoreEos(true).build();
    }

    private static GenerationOptions sampled(long seed, int tokens) {
        return GenerationOptions.builder().temperature(1.0).topP(0.95).seed(seed).maxNewTokens(tokens).ignoreEos(true).build();
    }

    @Test
    void loadReportsProgressUntilEveryShardIsDone() {
        List<LoadProgress> reports = new ArrayList<>();
        try (LlavaEngine loaded = LlavaEngine.load(Fixtures.goldenCheckpoint(), EngineOptions.builder().device("cpu").build(), reports::add)) {
            LoadProgress last = reports.get(reports.size() - 1);
            assertTrue(last.done(), last.toString());
            assertEquals(2, last.shards());
            assertEquals(2, last.shardsDone());
            assertEquals(1_321_900, last.totalBytes());
            for (int i = 1; i < reports.size(); i++) {
                assertTrue(reports.get(i).bytesLoaded() > reports.get(i - 1).bytesLoaded());
            }
        }
    }

    @Test
    void eosIdsComeFromTheCheckpoint() {
        assertEquals(Set.of(421, 428, 429), engine.eosTokenIds());
        assertEquals(431, engine.imageTokenId());
    }

    @Test
    void batchedGreedySequencesForkFromOnePrefixAndMatchTheReference() {
        try (Session session = engine.newSession(List.of(square))) {
            Prefix prefix = session.prefill(squarePrompt);
            List<GenerationResult> batch = session.generate(prefix, greedy(squareGreedy.length), 3, null);
            assertEquals(3, batch.size());
            for (GenerationResult r : batch) {
                assertArrayEquals(squareGreedy, r.tokens());
            }
            // the prefix is reusable after a generation forked from it
            assertArrayEquals(squareGreedy, session.generate(prefix, greedy(squareGreedy.length), 1, null).get(0).tokens());
        }
    }

    @Test
    void extendingAPrefixEqualsReadingEverythingAtOnce() {
        try (Session session = engine.newSession(List.of(square))) {
            int split = 20;
            Prefix head = session.prefill(Arrays.copyOf(squarePrompt, split));
            Prefix extended = session.extend(head, Arrays.copyOfRange(squarePrompt, split, squarePrompt.length));
            assertArrayEquals(squarePrompt, extended.tokens());
            assertArrayEquals(squareGreedy, session.generate(extended, greedy(squareGreedy.length), 1, null).get(0).tokens());
            // continuing from generated tokens: prefix + first 10 greedy tokens continues with the rest
            Prefix withTokens = session.extend(session.prefill(squarePrompt), Arrays.copyOf(squareGreedy, 10));
            int[] rest = session.generate(withTokens, greedy(squareGreedy.length - 10), 1, null).get(0).tokens();
            assertArrayEquals(Arrays.copyOfRange(squareGreedy, 10, squareGreedy.length), rest);
        }
    }

    @Test
    void cachedPrefixesAreReusedAndExtendedFromTheLongestMatch() {
        try (Session session = engine.newSession(List.of(square))) {
            Prefix prompt = session.cachedPrefix(squarePrompt);
            assertTrue(prompt == session.cachedPrefix(squarePrompt), "the same prompt is not read twice");
            int[] longer = Arrays.copyOf(squarePrompt, squarePrompt.length + 10);
            System.arraycopy(squareGreedy, 0, longer, squarePrompt.length, 10);
            Prefix extended = session.cachedPrefix(longer);
            assertArrayEquals(longer, extended.tokens());
            int[] rest = session.generate(extended, greedy(squareGreedy.length - 10), 1, null).get(0).tokens();
            assertArrayEquals(Arrays.copyOfRange(squareGreedy, 10, squareGreedy.length), rest);
        }
    }

    @Test
    void samplingIsReproducibleUnderASeedAndDiffersAcrossSeedsAndRows() {
        try (Session session = engine.newSession(List.of(square))) {
            Prefix prefix = session.prefill(squarePrompt);
            List<GenerationResult> first = session.generate(prefix, sampled(7, 16), 3, null);
            List<GenerationResult> again = session.generate(prefix, sampled(7, 16), 3, null);
            List<GenerationResult> other = session.generate(prefix, sampled(8, 16), 3, null);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(first.get(i).tokens(), again.get(i).tokens());
            }
            assertNotEquals(Arrays.toString(first.get(0).tokens()), Arrays.toString(other.get(0).tokens()));
            assertNotEquals(Arrays.toString(first.get(0).tokens()), Arrays.toString(first.get(1).tokens()));
        }
    }

    @Test
    void stopStringEndsASequenceAndTheBatchShrinks() {
        String full = engine.tokenizer().decode(squareGreedy, true);
        String stop = full.substring(8, 12);
        GenerationOptions options = greedy(squareGreedy.length).toBuilder().stopStrings(List.of(stop)).build();
        try (Session session = engine.newSession(List.of(square))) {
            Prefix prefix = session.prefill(squarePrompt);
            List<GenerationResult> results = session.generate(prefix, options, 2, null);
            for (GenerationResult r : results) {
                assertEquals(FinishReason.STOP_STRING, r.finishReason());
                assertTrue(r.text().contains(stop), r.text());
                assertTrue(r.tokens().length < squareGreedy.length);
                assertArrayEquals(Arrays.copyOf(squareGreedy, r.tokens().length), r.tokens());
            }
        }
    }

    @Test
    void streamingDeliversEveryTokenInOrderAndCancellationStopsPromptly() {
        List<Integer> streamed = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        TokenListener cancelAfterFive = new TokenListener() {
            @Override
            public void onToken(int sequence, int tokenId, String delta) {
                streamed.add(tokenId);
                text.append(delta);
            }

            @Override
            public boolean cancelled() {
                return streamed.size() >= 5;
            }
        };
        try (Session session = engine.newSession(List.of(square))) {
            GenerationResult r = session.generate(session.prefill(squarePrompt), greedy(squareGreedy.length), 1, cancelAfterFive).get(0);
            assertEquals(FinishReason.CANCELLED, r.finishReason());
            assertEquals(5, r.tokens().length);
            assertArrayEquals(r.tokens(), streamed.stream().mapToInt(Integer::intValue).toArray());
            assertEquals(r.text(), text.toString());
        }
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        try (Session session = engine.newSession(List.of(square))) {
            IllegalArgumentException tooManyImages = assertThrows(IllegalArgumentException.class,
                    () -> session.prefill(Fixtures.ints(Fixtures.referenceCase("two_images").get("input_ids"))));
            assertTrue(tooManyImages.getMessage().contains("2 <|image|> tokens but the session has 1"), tooManyImages.getMessage());
            IllegalArgumentException badId = assertThrows(IllegalArgumentException.class, () -> session.prefill(new int[] {1, 100000}));
            assertTrue(badId.getMessage().contains("100000"), badId.getMessage());
            assertThrows(IllegalArgumentException.class, () -> session.prefill(new int[0]));
            assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().topP(0).build());
        }
    }

    @Test
    void memoryStaysFlatOverManyRequests() {
        int baseline = -1;
        for (int i = 0; i < 30; i++) {
            try (Session session = engine.newSession(List.of(square))) {
                Prefix prefix = session.prefill(squarePrompt);
                session.generate(prefix, sampled(i, 6), 2, null);
                session.extend(prefix, new int[] {5, 6});
            }
            if (i == 2) {
                baseline = engine.liveNativeArrays();
            }
        }
        assertEquals(baseline, engine.liveNativeArrays(), "native arrays leaked across requests");
    }
}
