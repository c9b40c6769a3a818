package io.github.llavao1.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Hugging Face Hub on 127.0.0.1 serving one repository from a folder, with the Hub's URL scheme and headers:
 * {@code /api/models/{id}/revision/{rev}} (commit and siblings), {@code /{id}/resolve/{rev}/{file}} answering HEAD and
 * GET with {@code X-Repo-Commit} and an {@code ETag} (git sha1) for small files, or for LFS files
 * ({@code *.safetensors}) a 302 to {@code /cdn/{sha256}} with {@code X-Linked-Etag} and {@code X-Linked-Size}; the
 * CDN honours {@code Range}. Every request is recorded; faults can be injected once per file, and the weights held back
 * until released. Shared with the Quarkus tests through the test-jar, with {@link #writeCliCache}.
 */
public final class FakeHub implements AutoCloseable {

    public record Request(String method, String path, String range, String authorization) {
    }

    private record Entry(String name, byte[] content, boolean lfs, String etag) {
    }

    private final HttpServer server;
    /** Large files are served from another origin, as the Hub's CDN is: the token must not follow them there. */
    private final HttpServer cdn;
    private final String modelId;
    private final String commit;
    private final Map<String, Entry> files = new TreeMap<>();
    private final Map<String, Entry> bySha = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> cutOnce = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corruptOnce = new ConcurrentHashMap<>();
    private volatile String requiredToken;
    private volatile CountDownLatch weightsReleased = new CountDownLatch(0);

    public FakeHub(Path folder, String modelId, String commit) throws IOException {
        this.modelId = modelId;
        this.commit = commit;
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                byte[] content = Files.readAllBytes(file);
                boolean lfs = name.endsWith(".safetensors");
                Entry entry = new Entry(name, content, lfs, lfs ? sha256(content) : gitSha1(content));
                files.put(name, entry);
                if (lfs) {
                    bySha.put(entry.etag(), entry);
                }
            }
        }
        server = start();
        cdn = start();
    }

    /** A server on its own threads, so that a held download does not block the requests behind it. */
    private HttpServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-hub");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return http;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String commit() {
        return commit;
    }

    String sha256Of(String file) {
        return files.get(file).etag();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The next CDN download of {@code file} stops after {@code bytes} bytes. */
    void cutOnce(String file, long bytes) {
        cutOnce.put(files.get(file).etag(), bytes);
    }

    /** The next CDN download of {@code file} has one byte flipped. */
    void corruptOnce(String file) {
        corruptOnce.put(files.get(file).etag(), true);
    }

    void requireToken(String token) {
        this.requiredToken = token;
    }

    /** CDN downloads wait (60 s at most, then 503) until {@link #releaseWeights()}. */
    public void holdWeights() {
        weightsReleased = new CountDownLatch(1);
    }

    public void releaseWeights() {
        weightsReleased.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Range"),
                    authorization));
            if (path.startsWith("/cdn/")) {
                cdn(exchange, path.substring(5));
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(authorization)) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String api = "/api/models/" + modelId + "/revision/";
            String resolve = "/" + modelId + "/resolve/";
            if (path.startsWith(api)) {
                revision(exchange);
            } else if (path.startsWith(resolve)) {
                String rest = path.substring(resolve.length());
                String revision = rest.substring(0, rest.indexOf('/'));
                resolve(exchange, revision, rest.substring(rest.indexOf('/') + 1));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void revision(HttpExchange exchange) throws IOException {
        StringBuilder json = new StringBuilder("{\"id\":\"" + modelId + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
        String separator = "";
        for (String name : files.keySet()) {
            json.append(separator).append("{\"rfilename\":\"").append(name).append("\"}");
            separator = ",";
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void resolve(HttpExchange exchange, String revision, String name) throws IOException {
        Entry entry = files.get(name);
        if (entry == null || !(revision.equals("main") || revision.equals(commit))) {
            exchange.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("X-Repo-Commit", commit);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (entry.lfs()) {
            headers.set("ETag", "\"" + gitSha1(("pointer " + entry.etag()).getBytes(StandardCharsets.UTF_8)) + "\"");
            headers.set("X-Linked-Etag", "\"" + entry.etag() + "\"");
            headers.set("X-Linked-Size", Long.toString(entry.content().length));
            headers.set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/" + entry.etag());
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        headers.set("ETag", "\"" + entry.etag() + "\"");
        if (head) {
            headers.set("X-Linked-Size", Long.toString(entry.content().length)); // the JDK server drops HEAD lengths
            exchange.sendResponseHeaders(200, -1);
        } else {
            exchange.sendResponseHeaders(200, entry.content().length);
            exchange.getResponseBody().write(entry.content());
        }
    }

    private void cdn(HttpExchange exchange, String sha) throws IOException {
        Entry entry = bySha.get(sha);
        if (entry == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        try {
            if (!weightsReleased.await(60, TimeUnit.SECONDS)) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        byte[] content = entry.content();
        if (corruptOnce.remove(sha) != null) {
            content = content.clone();
            content[content.length / 2] ^= 1;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            if (from >= content.length) {
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/"
                    + content.length);
        }
        int length = content.length - from;
        exchange.sendResponseHeaders(range != null ? 206 : 200, length);
        OutputStream body = exchange.getResponseBody();
        Long cut = cutOnce.remove(sha);
        if (cut != null) {
            body.write(content, from, (int) Math.min(cut, length));
            body.flush();
            // drop the connection mid-body, as a network failure would
            throw new IOException("cut");
        }
        body.write(content, from, length);
    }

    @Override
    public void close() {
        server.stop(0);
        cdn.stop(0);
    }

    /**
     * {@code files} of {@code folder} written into {@code cache} as huggingface-cli writes a download of
     * {@code modelId} at {@code commit}: blobs named by their ETag, {@code refs/main}, and the snapshot's relative links
     * to the blobs, no marker of this project. Returns the snapshot folder.
     */
    public static Path writeCliCache(Path cache, String modelId, String commit, Path folder, List<String> files)
            throws IOException {
        Path repo = cache.resolve("models--" + modelId.replace("/", "--"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        for (String file : files) {
            byte[] content = Files.readAllBytes(folder.resolve(file));
            String etag = file.endsWith(".safetensors") ? sha256(content) : gitSha1(content);
            Files.write(repo.resolve("blobs").resolve(etag), content);
            Files.createSymbolicLink(snapshot.resolve(file), Path.of("../../blobs/" + etag));
        }
        return snapshot;
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(content));
    }

    /** The git blob id the Hub uses as the ETag of files stored in git. */
    static String gitSha1(byte[] content) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha1.digest(content));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
