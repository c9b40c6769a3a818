package io.github.llavao1.quarkus.deployment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The tiny checkpoint as a Hugging Face Hub model: a cache written the way huggingface-cli writes it, and a minimal Hub
 * on 127.0.0.1 (the full fake, with redirects and faults, is the extension's FakeHub) whose weights wait for a latch.
 */
final class HubFixtures {

    static final String ID = "Org/Tiny";
    static final String COMMIT = "00112233445566778899aabbccddeeff00112233";
    static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors.index.json",
            "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "preprocessor_config.json",
            "tokenizer.json");

    private HubFixtures() {
    }

    /**
     * {@code cache}, made to hold the tiny checkpoint in huggingface_hub's layout unless it does already (test classes
     * are initialised twice, by JUnit and by the application, and must agree on the folder).
     */
    static Path cliCache(Path cache) {
        try {
            if (Files.isDirectory(cache.resolve("models--Org--Tiny/snapshots").resolve(COMMIT))) {
                return cache;
            }
            Path repo = cache.resolve("models--Org--Tiny");
            Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
            Files.createDirectories(repo.resolve("blobs"));
            Files.createDirectories(repo.resolve("refs"));
            Files.writeString(repo.resolve("refs/main"), COMMIT);
            for (String file : FILES) {
                byte[] content = Files.readAllBytes(TinyCheckpoint.DIR.resolve(file));
                String etag = etag(file, content);
                Files.write(repo.resolve("blobs").resolve(etag), content);
                Files.createSymbolicLink(snapshot.resolve(file), Path.of("../../blobs/" + etag));
            }
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String etag(String file, byte[] content) {
        if (file.endsWith(".safetensors")) {
            return HexFormat.of().formatHex(digest("SHA-256").digest(content));
        }
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha1.digest(content));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {endpoint, release, close, cache folder} of one {@link SlowHub} per {@code key}, shared through the system
     * properties: a test class is initialised by JUnit and again by the application's class loader, and both must
     * see the same Hub and folder.
     */
    static Object[] sharedHub(String key) {
        Object[] shared = (Object[]) System.getProperties().get(key);
        if (shared == null) {
            SlowHub hub = new SlowHub();
            Runnable release = hub::release;
            Runnable close = hub::close;
            String cache = Path.of("target/" + key + "-" + System.nanoTime()).toAbsolutePath().toString();
            shared = new Object[] {hub.endpoint(), release, close, cache};
            System.getProperties().put(key, shared);
        }
        return shared;
    }

    /** A Hub serving the tiny checkpoint; the weights are sent once {@link #release()} is called. */
    static final class SlowHub {
        private final HttpServer server;
        private final CountDownLatch released = new CountDownLatch(1);

        SlowHub() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", this::handle);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "slow-hub");
                t.setDaemon(true);
                return t;
            }));
            server.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void release() {
            released.countDown();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/api/models/" + ID + "/revision/main")) {
                    StringBuilder json = new StringBuilder("{\"sha\":\"" + COMMIT + "\",\"siblings\":[");
                    for (int i = 0; i < FILES.size(); i++) {
                        json.append(i == 0 ? "" : ",").append("{\"rfilename\":\"").append(FILES.get(i)).append("\"}");
                    }
                    byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                String prefix = "/" + ID + "/resolve/" + COMMIT + "/";
                String file = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
                if (!FILES.contains(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] content = Files.readAllBytes(TinyCheckpoint.DIR.resolve(file));
                var headers = exchange.getResponseHeaders();
                headers.set("X-Repo-Commit", COMMIT);
                headers.set(file.endsWith(".safetensors") ? "X-Linked-Etag" : "ETag", "\"" + etag(file, content) + "\"");
                headers.set("X-Linked-Size", Integer.toString(content.length));
                if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                if (file.endsWith(".safetensors") && !released.await(60, TimeUnit.SECONDS)) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, content.length);
                exchange.getResponseBody().write(content);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            server.stop(0);
        }
    }
}
