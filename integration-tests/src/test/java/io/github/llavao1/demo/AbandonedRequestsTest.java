package io.github.llavao1.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests whose client goes away, on a model that would otherwise run for minutes (400 tokens a stage) and takes
 * one request at a time with no waiting line: the engine's token counter shows that generation stops within a few
 * tokens of the disconnect, and a request arriving while the slot is taken is refused with 503.
 */
@QuarkusTest
@TestProfile(AbandonedRequestsTest.LongRequests.class)
class AbandonedRequestsTest {

    public static class LongRequests implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.langchain4j.llava-o1.reasoning.max-tokens", "400",
                    "quarkus.langchain4j.llava-o1.max-concurrent-requests", "1",
                    "quarkus.langchain4j.llava-o1.max-queued-requests", "0");
        }
    }

    /** Tokens the engine may still sample between the disconnect and the server noticing it. */
    private static final long FEW_TOKENS = 64;

    @TestHTTPResource("/reason")
    URI reason;

    @TestHTTPResource("/reason/stream")
    URI stream;

    @Inject
    LlavaO1Engines engines;

    private LlavaEngine engine() {
        return engines.entries().get("<default>").handle().get();
    }

    @Test
    void aClosedStreamStopsGeneratingAndABusyModelAnswers503() throws Exception {
        abandon(stream, true);
    }

    @Test
    void anAbandonedBlockingRequestStopsGenerating() throws Exception {
        abandon(reason, false);
    }

    private void abandon(URI uri, boolean checkBusy) throws Exception {
        LlavaEngine engine = engine();
        byte[] body = Forms.good("What shape is this?");
        long atClose;
        try (Socket socket = Forms.open(uri, body, body.length)) {
            long before = engine.sampledTokens();
            for (int i = 0; i < 3000 && (engine.runningRequests() == 0 || engine.sampledTokens() < before + 10); i++) {
                Thread.sleep(10);
            }
            assertEquals(1, engine.runningRequests(), "the request is generating");
            if (checkBusy) {
                HttpResponse<String> busy = Forms.post(reason, Forms.good("And now?"));
                assertEquals(503, busy.statusCode(), busy.body());
                assertTrue(busy.body().contains("busy"), busy.body());
                assertEquals("5", busy.headers().firstValue("Retry-After").orElse(""));
            }
            atClose = engine.sampledTokens();
        }
        for (int i = 0; i < 3000 && engine.runningRequests() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, engine.runningRequests(), "the abandoned request released its slot");
        long after = engine.sampledTokens() - atClose;
        assertTrue(after <= FEW_TOKENS, after + " tokens sampled after the client went away");
        // an uncancelled request would sample at least one 400-token stage for each of its 2 candidates
        Thread.sleep(200);
        assertEquals(after, engine.sampledTokens() - atClose, "nothing runs any more");
    }
}
