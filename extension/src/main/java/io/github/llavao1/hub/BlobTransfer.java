package io.github.llavao1.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Fetches one file into its blob: under the blob's lock (a {@link FileLock} on {@code .locks/…/<etag>.lock}, which
 * huggingface_hub takes too, plus a monitor for threads of this JVM), resuming {@code <etag>.incomplete} with a
 * {@code Range} request, checking the size and, for LFS files, the sha256 the Hub published as the etag, and only then
 * renaming it to the blob. A broken transfer is resumed, a wrong checksum restarts from zero; both a bounded number of
 * times.
 */
final class BlobTransfer {

    static final int ATTEMPTS = 3;
    private static final int BUFFER = 1 << 20;
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final HubClient client;
    private final HubCache cache;
    private final HubModel model;

    BlobTransfer(HubClient client, HubCache cache, HubModel model) {
        this.client = client;
        this.cache = cache;
        this.model = model;
    }

    /** Bytes of the file still to fetch (its size less a partial download's length). */
    long remaining(HubClient.FileMetadata meta) throws IOException {
        if (Files.isRegularFile(cache.blob(meta.etag()))) {
            return 0;
        }
        Path partial = cache.incomplete(meta.etag());
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        return have <= meta.size() ? meta.size() - have : meta.size();
    }

    /** Makes {@code blobs/<etag>} hold the verified file; {@code received} is told every chunk's length. */
    Path fetch(String file, HubClient.FileMetadata meta, LongConsumer received) throws IOException {
        Path blob = cache.blob(meta.etag());
        Path lockFile = cache.lock(meta.etag());
        Files.createDirectories(lockFile.getParent());
        Files.createDirectories(blob.getParent());
        synchronized (MONITORS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new Object())) {
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockChannel.lock()) {
                if (Files.isRegularFile(blob)) {
                    // finished by another process while this one waited, or cached earlier
                    if (intact(blob, meta)) {
                        return blob;
                    }
                    cache.forget(blob);
                }
                IOException lastFailure = null;
                for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new HubException("Downloading " + file + " of " + model + " was interrupted; the partial"
                                + " download is resumed next time");
                    }
                    try {
                        String problem = transfer(file, meta, received);
                        if (problem == null) {
                            Files.move(cache.incomplete(meta.etag()), blob, StandardCopyOption.ATOMIC_MOVE,
                                    StandardCopyOption.REPLACE_EXISTING);
                            if (meta.lfs()) {
                                cache.markVerified(blob);
                            }
                            return blob;
                        }
                        Files.deleteIfExists(cache.incomplete(meta.etag()));
                        lastFailure = new IOException(problem);
                    } catch (IOException e) {
                        lastFailure = e; // the partial file stays: the next attempt resumes it
                    }
                }
                throw new HubException("Downloading " + file + " of " + model + " failed " + ATTEMPTS + " times; last: "
                        + lastFailure.getMessage() + " (a partial download stays in " + cache.incomplete(meta.etag())
                        + " and is resumed next time)", lastFailure);
            }
        }
    }

    /** Whether a blob in the cache has the size and (LFS) sha256 the Hub publishes. */
    boolean intact(Path blob, HubClient.FileMetadata meta) throws IOException {
        if (Files.size(blob) != meta.size()) {
            return false;
        }
        if (!meta.lfs() || cache.verified(blob)) {
            return true;
        }
        boolean ok = sha256(blob).equals(meta.etag());
        if (ok) {
            cache.markVerified(blob);
        }
        return ok;
    }

    /** One GET, appended to the partial file; the problem with the result, or null when it is verified. */
    private String transfer(String file, HubClient.FileMetadata meta, LongConsumer received) throws IOException {
        Path partial = cache.incomplete(meta.etag());
        MessageDigest digest = sha256();
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        if (have > meta.size()) {
            Files.delete(partial);
            have = 0;
        }
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (have < meta.size()) {
                HttpResponse<InputStream> response = client.download(meta.location(), have, model, file);
                try (InputStream body = response.body()) {
                    if (have > 0 && response.statusCode() != 206) {
                        have = 0; // the server sent the whole file (or could not serve the range): start over
                    }
                    out.truncate(have);
                    if (response.statusCode() == 416) {
                        return "the server could not serve bytes " + have + "- of " + file;
                    }
                    hashPrefix(out, have, digest);
                    out.position(have);
                    copy(body, out, digest, received);
                }
            } else {
                hashPrefix(out, have, digest);
            }
            long size = out.size();
            if (size != meta.size()) {
                throw new IOException(file + ": received " + size + " of " + meta.size() + " bytes");
            }
        }
        if (meta.lfs()) {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(meta.etag())) {
                return file + ": sha256 " + actual + " is not the " + meta.etag() + " the Hub publishes";
            }
        }
        return null;
    }

    private static void copy(InputStream body, FileChannel out, MessageDigest digest, LongConsumer received)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = body.read(buffer)) > 0) {
            digest.update(buffer, 0, n);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            received.accept(n);
        }
    }

    private static void hashPrefix(FileChannel file, long length, MessageDigest digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(BUFFER, length - position));
            int n = file.read(buffer, position);
            if (n < 0) {
                break;
            }
            digest.update(buffer.flip());
            position += n;
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            hashPrefix(channel, channel.size(), digest);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
