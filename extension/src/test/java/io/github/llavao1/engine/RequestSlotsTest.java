package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RequestSlotsTest {

    private static final Path ENGINE = Path.of("ckpt");

    private static void awaitWaiting(RequestSlots slots, int n) throws InterruptedException {
        for (int i = 0; i < 500 && slots.waiting() < n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, slots.waiting());
    }

    @Test
    void aFullLineRefusesAndAReleasedSlotGoesToTheWaitingRequest() throws Exception {
        RequestSlots slots = new RequestSlots(1, 1);
        Runnable first = slots.acquire(() -> false, ENGINE);
        CompletableFuture<Runnable> second = CompletableFuture.supplyAsync(() -> slots.acquire(() -> false, ENGINE));
        awaitWaiting(slots, 1);

        EngineBusyException busy = assertThrows(EngineBusyException.class, () -> slots.acquire(() -> false, ENGINE));
        assertEquals(1, busy.running());
        assertEquals(1, busy.queued());

        first.run();
        first.run(); // a second release of the same slot changes nothing
        Runnable secondSlot = second.get(10, TimeUnit.SECONDS);
        assertEquals(1, slots.running());
        assertEquals(0, slots.waiting());
        secondSlot.run();
        assertEquals(0, slots.running());
    }

    @Test
    void aRequestWaitingWhenTheEngineClosesGetsAnError() throws Exception {
        RequestSlots slots = new RequestSlots(1, 4);
        slots.acquire(() -> false, ENGINE);
        AtomicBoolean closing = new AtomicBoolean();
        CompletableFuture<Runnable> waiting = CompletableFuture.supplyAsync(() -> slots.acquire(closing::get, ENGINE));
        awaitWaiting(slots, 1);
        closing.set(true);
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("closed"),
                String.valueOf(e.getCause()));
        assertEquals(0, slots.waiting());
    }

    @Test
    void withoutALineTheSecondRequestIsRefusedAtOnce() {
        RequestSlots slots = new RequestSlots(1, 0);
        slots.acquire(() -> false, ENGINE);
        assertThrows(EngineBusyException.class, () -> slots.acquire(() -> false, ENGINE));
        assertEquals(0, slots.waiting());
    }
}
