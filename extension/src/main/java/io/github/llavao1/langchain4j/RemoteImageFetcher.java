package io.github.llavao1.langchain4j;

import io.github.llavao1.engine.image.InvalidImageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads an image from an allowed host. Only {@code http}/{@code https}, only hosts on
 * {@link ImagePolicy#allowedHosts()}, redirects never followed (a redirect could lead to a host that is not
 * allowed), the whole exchange (connect, headers and body) bounded by {@link ImagePolicy#fetchTimeout()}, and the
 * body bounded by {@link ImagePolicy#maxBytes()} whatever {@code Content-Length} claims.
 */
final class RemoteImageFetcher {

    private final ImagePolicy policy;
    private final HttpClient client;

    RemoteImageFetcher(ImagePolicy policy) {
        this.policy = policy;
        // Created only when some host is allowed: a client owns a selector thread.
        this.client = policy.allowedHosts().isEmpty() ? null : HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(policy.fetchTimeout())
                .build();
    }

    /** Refuses {@code uri} unless its host is on the allow-list. */
    void checkHost(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!policy.allowedHosts().contains(host)) {
            throw new ImageAccessDeniedException("image URL " + uri + " refused: host '" + host
                    + "' is not among the allowed hosts " + policy.allowedHosts());
        }
    }

    byte[] fetch(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ImageAccessDeniedException("image URL " + uri + " refused: only http and https are fetched");
        }
        if (client == null) {
            throw new ImageAccessDeniedException("image URL " + uri
                    + " refused: remote images are disabled (no allowed hosts configured)");
        }
        checkHost(uri);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(policy.fetchTimeout()).GET().build();
        long timeoutMillis = policy.fetchTimeout().toMillis();
        CompletableFuture<HttpResponse<InputStream>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream[] body = new InputStream[1];
        CompletableFuture<byte[]> download = pending.thenApplyAsync(response -> {
            body[0] = response.body();
            return readBody(uri, response);
        });
        try {
            return download.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            closeQuietly(body[0]);
            throw new InvalidImageException("image URL " + uri + " timed out after " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            closeQuietly(body[0]);
            throw new InvalidImageException("image URL " + uri + ": interrupted while downloading");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidImageException invalid) {
                throw invalid;
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                // the request's own timeout (the same limit) can fire before the wait above does
                throw new InvalidImageException("image URL " + uri + " timed out after " + timeoutMillis + " ms", cause);
            }
            throw new InvalidImageException("image URL " + uri + " cannot be fetched: " + cause, cause);
        }
    }

    private byte[] readBody(URI uri, HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status / 100 == 3) {
                throw new ImageAccessDeniedException("image URL " + uri + " answered with a redirect (HTTP " + status
                        + "); redirects are not followed");
            }
            if (status != 200) {
                throw new InvalidImageException("image URL " + uri + " answered HTTP " + status);
            }
            long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > policy.maxBytes()) {
                throw new InvalidImageException("image URL " + uri + " is " + declared + " bytes, over the limit of "
                        + policy.maxBytes() + " bytes");
            }
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, policy.maxBytes() + 1));
            if (data.length > policy.maxBytes()) {
                throw new InvalidImageException("image URL " + uri + " sent more than the limit of "
                        + policy.maxBytes() + " bytes");
            }
            return data;
        } catch (IOException e) {
            throw new InvalidImageException("image URL " + uri + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the download is abandoned either way
            }
        }
    }
}
