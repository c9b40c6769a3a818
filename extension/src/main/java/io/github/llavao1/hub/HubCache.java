package io.github.llavao1.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * One repository's folder in the Hugging Face hub cache, laid out exactly as {@code huggingface_hub}
 * ({@code file_download.py}) writes it, so a model fetched by {@code huggingface-cli} or Python is reused as is:
 *
 * <pre>
 * &lt;cache&gt;/models--Owner--Name/
 *     blobs/&lt;etag&gt;                      file contents, named by their sha256 (LFS) or git sha1
 *     blobs/&lt;etag&gt;.incomplete           a download in progress (resumed from its length)
 *     refs/main                          the commit that main pointed at, no newline
 *     snapshots/&lt;commit&gt;/&lt;file&gt;        relative symlinks ../../blobs/&lt;etag&gt;
 *     .no_exist/&lt;commit&gt;/&lt;file&gt;        empty: the file is known not to exist at that commit
 * &lt;cache&gt;/.locks/models--Owner--Name/&lt;etag&gt;.lock
 * </pre>
 *
 * Blobs this project has checked against their sha256 get a marker in {@code .verified/} (inside the repository
 * folder, where huggingface_hub's cache scan does not look), holding the blob's size and modification time, so a
 * verified file is not hashed again on every start while a changed one is.
 */
final class HubCache {

    private final Path root;
    private final Path repo;
    private final String folderName;

    HubCache(Path root, String modelId) {
        this.root = root;
        this.folderName = "models--" + modelId.replace("/", "--");
        this.repo = root.resolve(folderName);
    }

    Path repo() {
        return repo;
    }

    Path blob(String etag) {
        return repo.resolve("blobs").resolve(etag);
    }

    Path incomplete(String etag) {
        return repo.resolve("blobs").resolve(etag + ".incomplete");
    }

    Path snapshot(String commit) {
        return repo.resolve("snapshots").resolve(commit);
    }

    Path lock(String etag) {
        return root.resolve(".locks").resolve(folderName).resolve(etag + ".lock");
    }

    /** The commit a branch or tag pointed at when it was last resolved; the revision itself for a commit hash. */
    Optional<String> commit(String revision) {
        if (HubModel.isCommit(revision)) {
            return Optional.of(revision);
        }
        Path ref = repo.resolve("refs").resolve(revision);
        try {
            if (Files.isRegularFile(ref)) {
                String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
                return HubModel.isCommit(commit) ? Optional.of(commit) : Optional.empty();
            }
        } catch (IOException e) {
            // unreadable ref: treat as unknown, the Hub is asked again
        }
        return Optional.empty();
    }

    void writeRef(String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repo.resolve("refs").resolve(revision);
        if (commit.equals(commit(revision).orElse(null))) {
            return; // unchanged: leave a read-only shared cache alone
        }
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    boolean knownMissing(String commit, String file) {
        return Files.isRegularFile(repo.resolve(".no_exist").resolve(commit).resolve(file));
    }

    void markMissing(String commit, String file) throws IOException {
        Path marker = repo.resolve(".no_exist").resolve(commit).resolve(file);
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
    }

    /** snapshots/&lt;commit&gt;/&lt;file&gt; → ../../blobs/&lt;etag&gt;; a copy where the file system has no symlinks. */
    Path link(String commit, String file, String etag) throws IOException {
        Path pointer = snapshot(commit).resolve(file);
        Path blob = blob(etag);
        Files.createDirectories(pointer.getParent());
        if (Files.exists(pointer, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(pointer) && blob.equals(resolveLink(pointer))) {
                return pointer;
            }
            Files.delete(pointer);
        }
        try {
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        } catch (FileAlreadyExistsException e) {
            // another process linked it between the delete and here; its link points at the same blob
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, pointer, StandardCopyOption.REPLACE_EXISTING);
        }
        return pointer;
    }

    /** The blob a snapshot entry links to, or empty when it is a plain file (a cache written without symlinks). */
    Optional<Path> blobOf(Path pointer) {
        if (!Files.isSymbolicLink(pointer)) {
            return Optional.empty();
        }
        try {
            return Optional.of(resolveLink(pointer));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path resolveLink(Path pointer) throws IOException {
        return pointer.getParent().resolve(Files.readSymbolicLink(pointer)).normalize();
    }

    /** Whether the blob was verified as it is now (same size and modification time). */
    boolean verified(Path blob) {
        Path marker = marker(blob);
        try {
            return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(stamp(blob));
        } catch (IOException e) {
            return false;
        }
    }

    void markVerified(Path blob) {
        try {
            Path marker = marker(blob);
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, stamp(blob), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // a read-only cache: the blob is hashed again next time, nothing worse
        }
    }

    void forget(Path blob) throws IOException {
        Files.deleteIfExists(marker(blob));
        Files.deleteIfExists(blob);
    }

    private Path marker(Path blob) {
        return repo.resolve(".verified").resolve(blob.getFileName().toString());
    }

    private static String stamp(Path blob) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(blob, BasicFileAttributes.class);
        return attributes.size() + " " + attributes.lastModifiedTime().toMillis();
    }
}
