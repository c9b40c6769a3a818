package io.github.llavao1.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The few Hub calls a download needs, over the JDK's HTTP client: the file list of a revision
 * ({@code /api/models/{id}/revision/{rev}}), a file's metadata (a {@code HEAD} on {@code /{id}/resolve/{rev}/{file}}
 * whose headers name the commit, the etag and the size, as huggingface_hub's {@code get_hf_file_metadata} reads them)
 * and a ranged {@code GET}. Redirects are followed here, not by the client, so the token goes only to the Hub and
 * not to the CDN that large files are served from.
 */
final class HubClient {

    private static final int MAX_REDIRECTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSettings settings;
    private final HttpClient http;

    HubClient(HubSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A revision's commit and file names. */
    record Revision(String commit, List<String> files) {
    }

    /**
     * @param etag     sha256 of an LFS file (from {@code X-Linked-Etag}), else the git blob id; quotes removed
     * @param size     the file's real size ({@code X-Linked-Size} for LFS files)
     * @param location where to GET it (the CDN for LFS files)
     */
    record FileMetadata(String commit, String etag, long size, URI location) {

        /** LFS etags are the content's sha256. */
        boolean lfs() {
            return etag.matches("[0-9a-f]{64}");
        }
    }

    Revision revision(HubModel model) throws IOException {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + model.id() + "/revision/" + encode(model.revision()));
        HttpResponse<InputStream> response = send(uri, "GET", null, true);
        try (InputStream body = response.body()) {
            check(response, model, "the file list of");
            JsonNode json = JSON.readTree(body);
            String commit = json.path("sha").asText("");
            if (!HubModel.isCommit(commit)) {
                throw new HubException(uri + ": the Hub's answer has no commit hash ('sha')");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode sibling : json.path("siblings")) {
                files.add(sibling.path("rfilename").asText());
            }
            return new Revision(commit, files);
        }
    }

    FileMetadata metadata(HubModel model, String commit, String file) throws IOException {
        URI uri = resolveUri(model, commit, file);
        // HEAD without following the CDN redirect: the Hub's own response carries the X-Linked-* headers
        HttpResponse<InputStream> response = send(uri, "HEAD", null, false);
        response.body().close();
        check(response, model, file + " of");
        String etag = header(response, "X-Linked-Etag");
        if (etag == null) {
            etag = header(response, "ETag");
        }
        String size = header(response, "X-Linked-Size");
        if (size == null) {
            size = header(response, "Content-Length");
        }
        String responseCommit = header(response, "X-Repo-Commit");
        if (etag == null || size == null) {
            throw new HubException(uri + ": the Hub's answer has no ETag or size; is " + settings.endpoint()
                    + " a Hugging Face Hub?");
        }
        String normalized = normalizeEtag(etag);
        if (!normalized.matches("[A-Za-z0-9._-]{1,128}") || normalized.contains("..")) {
            throw new HubException(uri + ": the Hub's etag '" + etag + "' cannot name a cache file");
        }
        String location = header(response, "Location");
        URI download = location != null && response.statusCode() / 100 == 3
                ? response.uri().resolve(location) : response.uri();
        try {
            return new FileMetadata(responseCommit != null ? responseCommit : commit, normalized,
                    Long.parseLong(size.trim()), download);
        } catch (NumberFormatException e) {
            throw new HubException(uri + ": size '" + size + "' is not a number");
        }
    }

    /** A GET from byte {@code from} on (the whole file for 0); the caller closes the body. */
    HttpResponse<InputStream> download(URI location, long from, HubModel model, String file) throws IOException {
        HttpResponse<InputStream> response = send(location, "GET", from > 0 ? "bytes=" + from + "-" : null, true);
        if (response.statusCode() / 100 != 2 && response.statusCode() != 416) {
            response.body().close();
            check(response, model, file + " of");
        }
        return response;
    }

    URI resolveUri(HubModel model, String revision, String file) {
        StringBuilder path = new StringBuilder();
        for (String part : file.split("/")) {
            path.append('/').append(encode(part));
        }
        return URI.create(settings.endpoint() + "/" + model.id() + "/resolve/" + encode(revision) + path);
    }

    /**
     * Sends a request, following redirects: all of them for {@code followAll}, else only relative ones (a renamed
     * repository), as huggingface_hub does for its HEAD.
     */
    private HttpResponse<InputStream> send(URI uri, String method, String range, boolean followAll) throws IOException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(settings.timeout())
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Accept-Encoding", "identity")
                    .header("User-Agent", "llava-o1-java; hf_hub");
            if (settings.token() != null && sameOrigin(current, settings.endpoint())) {
                request.header("Authorization", "Bearer " + settings.token());
            }
            if (range != null) {
                request.header("Range", range);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + current, e);
            }
            String location = header(response, "Location");
            int status = response.statusCode();
            boolean redirect = status / 100 == 3 && location != null;
            if (!redirect) {
                return response;
            }
            URI target = current.resolve(location);
            boolean relative = URI.create(location).getHost() == null;
            if (!followAll && !relative) {
                return response;
            }
            response.body().close();
            if (hop >= MAX_REDIRECTS) {
                throw new HubException(uri + ": more than " + MAX_REDIRECTS + " redirects");
            }
            current = target;
        }
    }

    private void check(HttpResponse<?> response, HubModel model, String what) {
        int status = response.statusCode();
        if (status / 100 == 2 || status / 100 == 3) {
            return;
        }
        String where = " (" + response.request().method() + " " + response.uri() + " answered " + status + ")";
        String reason = switch (status) {
            case 401, 403 -> settings.token() == null
                    ? "the Hub refused access: the model may be gated or private; set HF_TOKEN to a token that may read it"
                    : "the Hub refused the token: check that HF_TOKEN may read this model and that its terms were accepted";
            case 404 -> "not found: check the model id, the revision and that the file exists";
            case 429 -> "the Hub is rate-limiting this client; try again later";
            default -> "the Hub answered with an error";
        };
        throw new HubException("Cannot get " + what + " " + model + ": " + reason + where);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** {@code W/"abc"} → {@code abc}, as huggingface_hub's {@code _normalize_etag}. */
    static String normalizeEtag(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
