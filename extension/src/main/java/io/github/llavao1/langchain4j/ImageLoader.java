package io.github.llavao1.langchain4j;

import dev.langchain4j.data.image.Image;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.github.llavao1.engine.image.ImageDecoder;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.engine.image.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntBinaryOperator;

/**
 * Turns an image reference into decoded pixels under an {@link ImagePolicy}. References: base64 data (LangChain4j
 * {@link Image#base64Data()}), {@code data:} URIs, {@code file:} URIs and plain paths (only under the allowed roots),
 * and {@code http(s)} URLs (only from the allowed hosts, see {@link RemoteImageFetcher}). Every failure is an
 * {@link InvalidImageException} (or its {@link ImageAccessDeniedException}) whose message names the reference;
 * inline data is named by its kind and size, never echoed. One exception: a chat image given as a URL while the
 * policy allows no host at all is an {@link UnsupportedFeatureException}, as LangChain4j's contract expects of a
 * model that does not take image URLs ({@link #check(Image)}). Thread-safe.
 */
public final class ImageLoader {

    private final ImagePolicy policy;
    private final ImageDecoder decoder;
    private final RemoteImageFetcher fetcher;
    private final IntBinaryOperator subsampling;

    public ImageLoader(ImagePolicy policy) {
        this(Objects.requireNonNull(policy, "policy must not be null"), new RemoteImageFetcher(policy),
                ImageDecoder.FULL_SIZE);
    }

    private ImageLoader(ImagePolicy policy, RemoteImageFetcher fetcher, IntBinaryOperator subsampling) {
        this.policy = policy;
        this.decoder = new ImageDecoder(policy.maxBytes(), policy.maxPixels());
        this.fetcher = fetcher;
        this.subsampling = subsampling;
    }

    /**
     * This loader decoding large images subsampled by {@code subsampling} (factor for a width and height), e.g. an
     * engine's {@code imageProcessor()::subsampling}, so their full-resolution pixels are never held in memory.
     */
    public ImageLoader withSubsampling(IntBinaryOperator subsampling) {
        return new ImageLoader(policy, fetcher, Objects.requireNonNull(subsampling, "subsampling must not be null"));
    }

    public ImagePolicy policy() {
        return policy;
    }

    /**
     * The policy checks of a chat image that need no I/O, so that a refused request fails before any work: an
     * http(s) URL while no host is allowed is not supported at all; one whose host is not allowed is denied.
     *
     * @throws UnsupportedFeatureException for a URL when the policy allows no host
     * @throws ImageAccessDeniedException  for a URL whose host is not allowed
     */
    public void check(Image image) {
        Objects.requireNonNull(image, "image must not be null");
        if ((image.base64Data() == null || image.base64Data().isBlank()) && image.url() != null) {
            String scheme = image.url().getScheme() == null ? "" : image.url().getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("http") || scheme.equals("https")) {
                if (policy.allowedHosts().isEmpty()) {
                    throw new UnsupportedFeatureException("image URL " + image.url() + ": images as URLs are not "
                            + "supported by this model (no allowed hosts configured); send the image as base64 data");
                }
                fetcher.checkHost(image.url());
            }
        }
    }

    /** Decodes a LangChain4j image: its base64 data when present, else its URL (see {@link #check(Image)}). */
    public RgbImage load(Image image) {
        check(image);
        if (image.base64Data() != null && !image.base64Data().isBlank()) {
            String label = "base64 image" + (image.mimeType() == null ? "" : " (" + image.mimeType() + ")");
            return decoder.decode(base64(image.base64Data(), label), label, subsampling);
        }
        if (image.url() == null) {
            throw new InvalidImageException("image has neither base64 data nor a URL");
        }
        return load(image.url().toString());
    }

    /** Decodes a reference given as text: a data URI, a file URI or path, or an http(s) URL. */
    public RgbImage load(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new InvalidImageException("image reference is empty");
        }
        String ref = reference.trim();
        String lower = ref.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            return decodeDataUri(ref);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI uri = parseUri(ref);
            return decoder.decode(fetcher.fetch(uri), uri.toString(), subsampling);
        }
        if (lower.startsWith("file:")) {
            return readFile(fileFromUri(ref));
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new ImageAccessDeniedException("image reference " + ref
                    + " uses an unsupported scheme; use a data URI, base64 data, an allowed file or an http(s) URL");
        }
        try {
            return readFile(Path.of(ref));
        } catch (InvalidPathException e) {
            throw new InvalidImageException("image reference " + ref + " is not a valid path: " + e.getMessage());
        }
    }

    private RgbImage decodeDataUri(String uri) {
        int comma = uri.indexOf(',');
        String header = comma < 0 ? uri : uri.substring(0, comma);
        String label = "data URI (" + header + ")";
        if (comma < 0 || !header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw new InvalidImageException(label + " must be base64-encoded: data:<mime>;base64,<data>");
        }
        return decoder.decode(base64(uri.substring(comma + 1), label), label, subsampling);
    }

    private byte[] base64(String data, String label) {
        // Checked before decoding so an oversized payload costs no allocation: 4 base64 characters carry 3 bytes.
        long decodedBound = (long) data.length() / 4 * 3;
        if (decodedBound > policy.maxBytes() + 3) {
            throw new InvalidImageException(label + " is about " + decodedBound + " bytes, over the limit of "
                    + policy.maxBytes() + " bytes");
        }
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(label + " is not valid base64: " + e.getMessage());
        }
    }

    private static URI parseUri(String ref) {
        try {
            return new URI(ref);
        } catch (URISyntaxException e) {
            throw new InvalidImageException("image reference " + ref + " is not a valid URI: " + e.getMessage());
        }
    }

    private static Path fileFromUri(String ref) {
        try {
            return Path.of(parseUri(ref));
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("image reference " + ref + " is not a usable file URI: " + e.getMessage());
        }
    }

    /**
     * Reads {@code file} when it lies under an allowed root. Both sides are compared as real paths, so {@code ..}
     * segments and symbolic links that lead out of a root are refused; a relative path resolves against the first
     * root.
     */
    private RgbImage readFile(Path file) {
        if (policy.allowedRoots().isEmpty()) {
            throw new ImageAccessDeniedException("image file " + file
                    + " refused: local files are disabled (no allowed roots configured)");
        }
        Path candidate = file.isAbsolute() ? file : policy.allowedRoots().get(0).resolve(file);
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidImageException("image file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidImageException("image file " + file + " cannot be read: " + e.getMessage());
        }
        if (!underAllowedRoot(real)) {
            throw new ImageAccessDeniedException("image file " + file + " refused: it resolves to " + real
                    + ", outside the allowed roots " + policy.allowedRoots());
        }
        if (!Files.isRegularFile(real)) {
            throw new InvalidImageException("image file " + file + " is not a regular file");
        }
        return decoder.decode(readCapped(real, file), file.toString(), subsampling);
    }

    private boolean underAllowedRoot(Path real) {
        for (Path root : policy.allowedRoots()) {
            try {
                if (real.startsWith(root.toRealPath())) {
                    return true;
                }
            } catch (IOException e) {
                // A root that does not exist (yet) allows nothing.
            }
        }
        return false;
    }

    private byte[] readCapped(Path real, Path named) {
        try (InputStream in = Files.newInputStream(real)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, policy.maxBytes() + 1));
            if (data.length > policy.maxBytes()) {
                throw new InvalidImageException("image file " + named + " is over the limit of " + policy.maxBytes()
                        + " bytes");
            }
            return data;
        } catch (IOException e) {
            throw new InvalidImageException("image file " + named + " cannot be read: " + e.getMessage(), e);
        }
    }
}
