package io.github.llavao1.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The demo as a careless or hostile client meets it, over loopback with the JDK HTTP client and raw sockets: every
 * bad input is a 4xx whose body names the problem, every stream ends, no upload file survives a disconnect, and
 * many clients at once all get their answers without the engine's memory growing.
 */
@QuarkusTest
class HostileClientsTest {

    @TestHTTPResource("/reason")
    URI reason;

    @TestHTTPResource("/reason/stream")
    URI stream;

    @TestHTTPResource("/assistant")
    URI assistant;

    @Inject
    LlavaO1Engines engines;

    private LlavaEngine engine() {
        return engines.entries().get("<default>").handle().get();
    }

    private static void assertClientError(HttpResponse<String> response, int status, String named) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(named), "the body names the problem (" + named + "): " + response.body());
    }

    @Test
    void everyBadFormIsAClientErrorNamingTheProblem() {
        byte[] png = Forms.squarePng();
        for (URI uri : List.of(reason, stream, assistant)) {
            assertClientError(Forms.post(uri, Forms.form().file("image", "empty.png", new byte[0]).text("question", "Hi?").end()),
                    400, "'image' is an empty file");
            assertClientError(Forms.post(uri, Forms.form().file("image", "square.png", png).end()), 400, "'question'");
            assertClientError(Forms.post(uri, Forms.form().file("image", "square.png", png).text("question", " \n ").end()),
                    400, "'question' is missing or blank");
            assertClientError(Forms.post(uri, Forms.form().text("question", "Hi?").end()), 400, "'image'");
            assertClientError(Forms.post(uri, Forms.good("x".repeat(ImageUploads.MAX_QUESTION_CHARS + 1))), 413,
                    "over the limit of " + ImageUploads.MAX_QUESTION_CHARS);
            // megabytes: refused by the form parser (quarkus.http.limits.max-form-attribute-size), not by the resource
            assertClientError(Forms.post(uri, Forms.good("x".repeat(2_000_000))), 413,
                    "over the limit of 16384 bytes (quarkus.http.limits.max-form-attribute-size)");
        }
        // undecodable image, prompt over the context: the extension's mappers answer with the library's message
        assertClientError(Forms.post(reason, Forms.form().file("image", "notes.txt", "not an image".getBytes())
                .text("question", "Hi?").end()), 400, "not a supported image format");
        assertClientError(Forms.post(reason, Forms.good("\u6f22".repeat(1000))), 413, "context of 2048 tokens");
    }

    @Test
    void malformedMultipartIsABadRequestWithAMessage() {
        byte[] good = Forms.good("What shape?");
        // a boundary that the body does not use
        assertClientError(Forms.post(reason, good, "multipart/form-data; boundary=other"), 400, "multipart");
        // a body cut off in the middle of the image part
        assertClientError(Forms.post(reason, java.util.Arrays.copyOf(good, good.length / 2)), 400, "multipart");
        // no boundary at all: Quarkus reads no parts, so the first field checked is the one named missing
        assertClientError(Forms.post(reason, good, "multipart/form-data"), 400, "form field 'question' is missing");
        // thousands of parts
        Forms many = Forms.form().file("image", "square.png", Forms.squarePng()).text("question", "Hi?");
        for (int i = 0; i < 1500; i++) {
            many.text("extra" + i, "x");
        }
        HttpResponse<String> tooMany = Forms.post(reason, many.end());
        assertTrue(tooMany.statusCode() == 400 || tooMany.statusCode() == 413, tooMany.statusCode() + " " + tooMany.body());
        assertTrue(tooMany.body().contains("parts") || tooMany.body().contains("parameters"), tooMany.body());
    }

    @Test
    void hundredsOfBadImageStreamsAllEnd() throws Exception {
        byte[] bad = Forms.form().file("image", "notes.png", "not an image".getBytes()).text("question", "Hi?").end();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                responses.add(pool.submit(() -> Forms.post(stream, bad)));
            }
            for (Future<HttpResponse<String>> f : responses) {
                // each send is bounded by the client's 60 s timeout: a stream that never ends fails here
                HttpResponse<String> response = f.get(90, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(response.body().contains("event:error") || response.body().contains("event: error"), response.body());
                assertTrue(response.body().contains("not a supported image format"), response.body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void disconnectsLeaveNoUploadFiles() throws Exception {
        Path uploads = Path.of("target/test-uploads");
        byte[] body = Forms.good("What shape is this?");
        for (int i = 0; i < 20; i++) {
            // half of them in the middle of the upload, half right after the whole request was sent
            try (Socket socket = Forms.open(i % 2 == 0 ? stream : reason, body, i % 4 < 2 ? body.length / 2 : body.length)) {
                socket.getOutputStream().flush();
            }
        }
        LlavaEngine engine = engine();
        for (int i = 0; i < 1000 && (engine.runningRequests() > 0 || engine.queuedRequests() > 0 || files(uploads) > 0); i++) {
            Thread.sleep(10);
        }
        assertEquals(0, files(uploads), "upload files left in " + uploads.toAbsolutePath());
    }

    @Test
    void eightClientsTimesTwentyFiveRequestsAllSucceedWithFlatMemory() throws Exception {
        LlavaEngine engine = engine();
        byte[] body = Forms.good("What shape is this?");
        assertEquals(200, Forms.post(reason, body).statusCode());
        int arrays = engine.liveNativeArrays();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                statuses.add(clients.submit(() -> {
                    int ok = 0;
                    for (int r = 0; r < 25; r++) {
                        HttpResponse<String> response = Forms.post(reason, body);
                        assertEquals(200, response.statusCode(), response.body());
                        ok++;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : statuses) {
                assertEquals(25, f.get(300, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(arrays, engine.liveNativeArrays(), "native arrays after 200 requests");
        assertEquals(0, engine.runningRequests());
        assertEquals(0, files(Path.of("target/test-uploads")));
    }

    @Test
    void aBurstOfDecompressionBombsGetsAnswersOrBusyNeverAServerError() throws Exception {
        // 7000 × 7000 = 49 Mpx in a few kilobytes: decoded subsampled to what the tiles need
        byte[] body = Forms.form().file("image", "bomb.png", Forms.bombPng(7000, 7000)).text("question", "Hi?").end();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                responses.add(pool.submit(() -> Forms.post(reason, body)));
            }
            for (Future<HttpResponse<String>> f : responses) {
                HttpResponse<String> response = f.get(300, TimeUnit.SECONDS);
                assertTrue(response.statusCode() == 200 || (response.statusCode() == 503 && response.body().contains("busy")),
                        response.statusCode() + " " + response.body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.count();
        }
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
