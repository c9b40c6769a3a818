package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.data.image.Image;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.engine.image.RgbImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way an image reference is accepted or refused. Remote tests talk to a server on 127.0.0.1 only; the
 * allowed host is "127.0.0.1" and "localhost" stands for a host that is not allowed.
 */
class ImageLoaderTest {

    private static final byte[] PNG = TinyModel.bytes("square.png");

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/square.png", exchange -> {
            exchange.sendResponseHeaders(200, PNG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PNG);
            }
        });
        server.createContext("/big.png", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException ignored) {
                // the client hung up at its cap
            }
        });
        server.createContext("/declared-big.png", exchange -> {
            exchange.sendResponseHeaders(200, 10_000_000);
            exchange.close();
        });
        server.createContext("/slow.png", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, PNG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PNG);
            } catch (IOException ignored) {
                // the client gave up already
            }
        });
        server.createContext("/redirect.png", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/missing.png", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    private ImageLoader loader(ImagePolicy.Builder policy) {
        return new ImageLoader(policy.build());
    }

    private static ImagePolicy.Builder policy() {
        return ImagePolicy.builder();
    }

    private static void assertRejected(Class<? extends InvalidImageException> type, String fragment,
                                       org.junit.jupiter.api.function.Executable call) {
        InvalidImageException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void inlineDataDecodes() {
        ImageLoader loader = loader(policy());
        RgbImage fromBase64 = loader.load(Image.builder().base64Data(Base64.getEncoder().encodeToString(PNG))
                .mimeType("image/png").build());
        RgbImage fromDataUri = loader.load("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
        assertEquals(fromBase64.width(), fromDataUri.width());
        assertTrue(fromBase64.width() > 0);
    }

    @Test
    void badInlineDataIsRejectedWithItsReason() {
        ImageLoader loader = loader(policy().maxBytes(1000).maxPixels(100));
        assertRejected(InvalidImageException.class, "not valid base64",
                () -> loader.load(Image.builder().base64Data("@@not base64@@").build()));
        assertRejected(InvalidImageException.class, "must be base64-encoded",
                () -> loader.load("data:image/png,rawbytes"));
        assertRejected(InvalidImageException.class, "over the limit of 1000 bytes",
                () -> loader.load(Image.builder().base64Data("A".repeat(4000)).build()));
        String garbage = Base64.getEncoder().encodeToString("this is not an image".getBytes());
        InvalidImageException undecodable = assertThrows(InvalidImageException.class,
                () -> loader.load("data:image/png;base64," + garbage));
        assertTrue(undecodable.getMessage().startsWith("data URI (data:image/png;base64)"), undecodable.getMessage());
        assertRejected(InvalidImageException.class, "image reference is empty", () -> loader.load(" "));
    }

    @Test
    void pixelLimitIsEnforced() {
        ImageLoader loader = loader(policy().maxPixels(10));
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> loader.load("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG)));
        assertTrue(e.getMessage().contains("10"), e.getMessage());
    }

    @Test
    void localFilesOnlyUnderAllowedRoots() throws IOException {
        Files.write(root.resolve("ok.png"), PNG);
        Files.write(outside.resolve("secret.png"), PNG);
        Files.createDirectories(root.resolve("sub"));
        ImageLoader closed = loader(policy());
        assertRejected(ImageAccessDeniedException.class, "local files are disabled",
                () -> closed.load(root.resolve("ok.png").toString()));

        ImageLoader loader = loader(policy().allowedRoots(List.of(root)));
        assertTrue(loader.load(root.resolve("ok.png").toString()).width() > 0);
        assertTrue(loader.load(root.resolve("ok.png").toUri().toString()).width() > 0, "file: URI");
        assertTrue(loader.load("ok.png").width() > 0, "relative to the first root");
        assertRejected(ImageAccessDeniedException.class, "outside the allowed roots",
                () -> loader.load(outside.resolve("secret.png").toString()));
        assertRejected(ImageAccessDeniedException.class, "outside the allowed roots",
                () -> loader.load(root.resolve("sub/../../" + outside.getFileName() + "/secret.png").toString()));
        assertRejected(ImageAccessDeniedException.class, "outside the allowed roots",
                () -> loader.load("../" + outside.getFileName() + "/secret.png"));
        assertRejected(ImageAccessDeniedException.class, "outside the allowed roots",
                () -> loader.load("/etc/passwd"));
        assertRejected(InvalidImageException.class, "does not exist",
                () -> loader.load(root.resolve("nope.png").toString()));
        assertRejected(InvalidImageException.class, "not a regular file", () -> loader.load(root.toString()));
    }

    @Test
    void symlinksOutOfTheRootAreRefused() throws IOException {
        Files.write(outside.resolve("secret.png"), PNG);
        Files.createSymbolicLink(root.resolve("link.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(root.resolve("dir"), outside);
        ImageLoader loader = loader(policy().allowedRoots(List.of(root)));
        assertRejected(ImageAccessDeniedException.class, "resolves to",
                () -> loader.load(root.resolve("link.png").toString()));
        assertRejected(ImageAccessDeniedException.class, "resolves to",
                () -> loader.load(root.resolve("dir/secret.png").toString()));
    }

    @Test
    void oversizedFilesAreRefusedBeforeDecoding() throws IOException {
        Files.write(root.resolve("ok.png"), PNG);
        ImageLoader loader = loader(policy().allowedRoots(List.of(root)).maxBytes(PNG.length - 1));
        assertRejected(InvalidImageException.class, "over the limit of " + (PNG.length - 1) + " bytes",
                () -> loader.load(root.resolve("ok.png").toString()));
    }

    @Test
    void urlsAreRefusedUnlessTheHostIsAllowed() {
        ImageLoader closed = loader(policy());
        assertRejected(ImageAccessDeniedException.class, "remote images are disabled",
                () -> closed.load(url("127.0.0.1", "/square.png")));
        ImageLoader loader = loader(policy().allowedHosts(Set.of("127.0.0.1")));
        assertTrue(loader.load(url("127.0.0.1", "/square.png")).width() > 0);
        assertTrue(loader.load(Image.builder().url(url("127.0.0.1", "/square.png")).build()).width() > 0);
        assertRejected(ImageAccessDeniedException.class, "host 'localhost' is not among the allowed hosts",
                () -> loader.load(url("localhost", "/square.png")));
        assertRejected(ImageAccessDeniedException.class, "unsupported scheme",
                () -> loader.load("ftp://127.0.0.1/square.png"));
        assertRejected(ImageAccessDeniedException.class, "redirects are not followed",
                () -> loader.load(url("127.0.0.1", "/redirect.png")));
        assertRejected(InvalidImageException.class, "HTTP 404", () -> loader.load(url("127.0.0.1", "/missing.png")));
    }

    @Test
    void downloadsAreCappedAndTimedOut() {
        // the size limits with a timeout no loaded machine reaches, so only the limit can end the download
        ImageLoader capped = loader(policy().allowedHosts(Set.of("127.0.0.1")).maxBytes(10_000)
                .fetchTimeout(Duration.ofSeconds(30)));
        assertRejected(InvalidImageException.class, "sent more than the limit of 10000 bytes",
                () -> capped.load(url("127.0.0.1", "/big.png")));
        assertRejected(InvalidImageException.class, "is 10000000 bytes, over the limit",
                () -> capped.load(url("127.0.0.1", "/declared-big.png")));
        ImageLoader impatient = loader(policy().allowedHosts(Set.of("127.0.0.1")).maxBytes(10_000)
                .fetchTimeout(Duration.ofMillis(500)));
        assertRejected(InvalidImageException.class, "timed out after 500 ms",
                () -> impatient.load(url("127.0.0.1", "/slow.png")));
    }

    @Test
    void policyValidationNamesTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy().maxBytes(0).build());
        assertTrue(e.getMessage().startsWith("maxBytes"));
        e = assertThrows(IllegalArgumentException.class, () -> policy().fetchTimeout(Duration.ZERO).build());
        assertTrue(e.getMessage().startsWith("fetchTimeout"));
        assertEquals(Set.of("example.org"), policy().allowedHosts(Set.of(" Example.ORG ")).build().allowedHosts());
        ImagePolicy defaults = ImagePolicy.defaults();
        assertEquals(20L * 1024 * 1024, defaults.maxBytes());
        assertEquals(50_000_000L, defaults.maxPixels());
        assertTrue(defaults.allowedRoots().isEmpty() && defaults.allowedHosts().isEmpty());
        assertEquals(Duration.ofSeconds(10), defaults.fetchTimeout());
    }
}
