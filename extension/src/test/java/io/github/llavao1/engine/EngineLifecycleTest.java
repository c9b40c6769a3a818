package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Closing the engine while a request runs (shutdown, dev-mode restart) stops it cleanly instead of crashing. */
class EngineLifecycleTest {

    @Test
    void closingTheEngineStopsRunningGenerationsAndRefusesNewWork() throws Exception {
        LlavaEngine engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), EngineOptions.builder().device("cpu").build());
        ProcessedImage image = engine.processImage(Fixtures.tinyCheckpoint().resolve("square.png"));
        int[] prompt = Fixtures.ints(Fixtures.referenceCase("square").get("input_ids"));
        Session session = engine.newSession(List.of(image));
        Prefix prefix = session.prefill(prompt);
        CountDownLatch started = new CountDownLatch(5);
        AtomicInteger streamed = new AtomicInteger();
        GenerationOptions longRun = GenerationOptions.builder().temperature(0).maxNewTokens(1900).ignoreEos(true).build();
        CompletableFuture<GenerationResult> running = CompletableFuture.supplyAsync(() -> session.generate(prefix, longRun, 2,
                (sequence, token, delta) -> {
                    streamed.incrementAndGet();
                    started.countDown();
                }).get(0));

        assertTrue(started.await(60, TimeUnit.SECONDS), "generation did not start");
        engine.close();
        GenerationResult result = running.get(60, TimeUnit.SECONDS);
        assertEquals(FinishReason.CANCELLED, result.finishReason());
        assertTrue(result.tokens().length < 1900, "stopped after " + result.tokens().length + " tokens");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> engine.newSession(List.of()));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> session.prefill(prompt));
        prefix.close();
        session.close();
        engine.close();
    }
}
