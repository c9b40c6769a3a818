package io.github.llavao1.hub;

import io.github.llavao1.engine.LoadProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a model's checkpoint folder from its Hub id: from the Hugging Face cache when the snapshot there is complete
 * (no request at all; a branch is resolved through {@code refs/<branch>} as it was when last fetched), else from the
 * Hub, fetching only the files the engine reads ({@link CheckpointFiles}) into the same cache, with progress, resume,
 * size and sha256 checks and a lock per file (see {@link BlobTransfer}). In offline mode only the cache is used.
 *
 * <p>The returned folder is {@code <cache>/models--Owner--Name/snapshots/<commit>}, which
 * {@link io.github.llavao1.engine.LlavaEngine#load} opens like any checkpoint directory. Thread-safe.
 */
public final class ModelDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDownloader.class);

    private final HubSettings settings;
    private final HubClient client;

    public ModelDownloader(HubSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.client = new HubClient(settings);
    }

    public HubSettings settings() {
        return settings;
    }

    /**
     * The snapshot folder holding {@code model}'s checkpoint, downloading what the cache lacks.
     *
     * @param progress told about the download ({@link LoadProgress.Phase#DOWNLOADING}); null for none
     * @throws HubException naming the model and the files when they are neither cached nor obtainable
     */
    public Path fetch(HubModel model, Consumer<LoadProgress> progress) {
        HubCache cache = new HubCache(settings.cacheDir(), model.id());
        try {
            List<String> problems = cachedProblems(cache, model);
            if (problems.isEmpty()) {
                Path snapshot = cache.snapshot(cache.commit(model.revision()).orElseThrow());
                LOG.debug("{}: using the cached snapshot {}", model, snapshot);
                return snapshot;
            }
            if (settings.offline()) {
                throw new HubException("Offline mode (HF_HUB_OFFLINE or offline=true): " + model + " is not complete in the"
                        + " cache " + settings.cacheDir() + "; missing: " + String.join(", ", problems)
                        + ". Download it once with network access (e.g. the 'download' command), or point at a local copy");
            }
            return download(model, cache, progress != null ? progress : logging());
        } catch (IOException e) {
            throw new HubException(model + ": cache " + settings.cacheDir() + ": " + e, e);
        }
    }

    /** Whether {@link #fetch} would find the model in the cache without a request (no checksums are computed). */
    public boolean cached(HubModel model) {
        HubCache cache = new HubCache(settings.cacheDir(), model.id());
        try {
            Optional<String> commit = cache.commit(model.revision());
            return commit.isPresent() && missing(cache, commit.get()).isEmpty();
        } catch (IOException | HubException e) {
            return false;
        }
    }

    /** What keeps the cached snapshot from being used: missing files, or LFS files whose sha256 is wrong. */
    private List<String> cachedProblems(HubCache cache, HubModel model) throws IOException {
        Optional<String> commit = cache.commit(model.revision());
        if (commit.isEmpty()) {
            List<String> all = new ArrayList<>(CheckpointFiles.REQUIRED);
            all.add("the weights (no snapshot of revision '" + model.revision() + "' in " + cache.repo() + ")");
            return all;
        }
        List<String> missing = missing(cache, commit.get());
        if (!missing.isEmpty()) {
            return missing;
        }
        return corrupted(cache, cache.snapshot(commit.get()));
    }

    private List<String> missing(HubCache cache, String commit) throws IOException {
        Path snapshot = cache.snapshot(commit);
        // online, a missing optional file is fetched unless the cache knows the repository lacks it
        boolean optionalKnown = settings.offline() || cache.knownMissing(commit, CheckpointFiles.OPTIONAL);
        return CheckpointFiles.missing(snapshot, optionalKnown);
    }

    /**
     * Checks every linked LFS blob against its name (its sha256), hashing only blobs not verified as they are now.
     * Online, a corrupted blob is removed so that it is fetched again; offline it is left as it is.
     */
    private List<String> corrupted(HubCache cache, Path snapshot) throws IOException {
        List<String> corrupted = new ArrayList<>();
        for (String file : neededFiles(snapshot)) {
            Optional<Path> blob = cache.blobOf(snapshot.resolve(file));
            if (blob.isEmpty() || !blob.get().getFileName().toString().matches("[0-9a-f]{64}")
                    || cache.verified(blob.get())) {
                continue;
            }
            LOG.info("Verifying the sha256 of {} ({} MB) in the Hugging Face cache", file, Files.size(blob.get()) / 1_000_000);
            if (BlobTransfer.sha256(blob.get()).equals(blob.get().getFileName().toString())) {
                cache.markVerified(blob.get());
            } else {
                corrupted.add(file + " (corrupted: its sha256 does not match)");
                if (!settings.offline()) {
                    LOG.warn("{} in {} is corrupted (wrong sha256); fetching it again", file, snapshot);
                    cache.forget(blob.get());
                }
            }
        }
        return corrupted;
    }

    private static List<String> neededFiles(Path snapshot) throws IOException {
        List<String> files = new ArrayList<>(CheckpointFiles.REQUIRED);
        if (Files.isRegularFile(snapshot.resolve(CheckpointFiles.INDEX))) {
            files.add(CheckpointFiles.INDEX);
            files.addAll(CheckpointFiles.shards(snapshot.resolve(CheckpointFiles.INDEX)));
        } else {
            files.add(CheckpointFiles.SINGLE);
        }
        if (Files.isRegularFile(snapshot.resolve(CheckpointFiles.OPTIONAL))) {
            files.add(CheckpointFiles.OPTIONAL);
        }
        return files;
    }

    private Path download(HubModel model, HubCache cache, Consumer<LoadProgress> progress) throws IOException {
        HubClient.Revision revision = client.revision(model);
        String commit = revision.commit();
        List<String> absent = CheckpointFiles.absent(revision.files());
        if (!absent.isEmpty()) {
            throw new HubException(model + " (commit " + commit + ") is not a Mllama checkpoint in safetensors form: the"
                    + " repository has no " + String.join(", ", absent));
        }
        cache.writeRef(model.revision(), commit);
        BlobTransfer transfer = new BlobTransfer(client, cache, model);
        List<String> files = new ArrayList<>(CheckpointFiles.REQUIRED);
        if (revision.files().contains(CheckpointFiles.OPTIONAL)) {
            files.add(CheckpointFiles.OPTIONAL);
        } else {
            cache.markMissing(commit, CheckpointFiles.OPTIONAL);
        }
        if (revision.files().contains(CheckpointFiles.INDEX)) {
            // the index names the shards, so it comes first
            Path index = fetchOne(transfer, cache, model, commit, CheckpointFiles.INDEX);
            for (String shard : CheckpointFiles.shards(index)) {
                if (!revision.files().contains(shard)) {
                    throw new HubException(model + ": " + CheckpointFiles.INDEX + " lists " + shard
                            + ", which the repository does not have");
                }
                files.add(shard);
            }
        } else {
            files.add(CheckpointFiles.SINGLE);
        }
        Map<String, HubClient.FileMetadata> plan = new LinkedHashMap<>();
        long total = 0;
        for (String file : files) {
            HubClient.FileMetadata meta = client.metadata(model, commit, CheckpointFiles.checkName(file, model.toString()));
            plan.put(file, meta);
            total += transfer.remaining(meta);
        }
        if (total > 0) {
            LOG.info("Downloading {} ({} files, {} GB to fetch) into {}", model, plan.size(),
                    String.format(java.util.Locale.ROOT, "%.2f", total / 1e9), cache.repo());
        }
        Tracker tracker = new Tracker(plan.size(), total, progress);
        for (Map.Entry<String, HubClient.FileMetadata> entry : plan.entrySet()) {
            transfer.fetch(entry.getKey(), entry.getValue(), tracker::received);
            cache.link(commit, entry.getKey(), entry.getValue().etag());
            tracker.fileDone();
        }
        return cache.snapshot(commit);
    }

    private Path fetchOne(BlobTransfer transfer, HubCache cache, HubModel model, String commit, String file)
            throws IOException {
        HubClient.FileMetadata meta = client.metadata(model, commit, file);
        transfer.fetch(file, meta, n -> { });
        return cache.link(commit, file, meta.etag());
    }

    /** Progress to the log (INFO): at most every five seconds, when a file completes, and at the end. */
    public static Consumer<LoadProgress> logging() {
        return new Consumer<>() {
            private long last;
            private int files = -1;

            @Override
            public void accept(LoadProgress p) {
                long now = System.nanoTime();
                if (p.phase() == LoadProgress.Phase.DOWNLOADING
                        && (p.shardsDone() != files || now - last > 5_000_000_000L || p.done())) {
                    LOG.info("{}", p);
                    last = now;
                    files = p.shardsDone();
                }
            }
        };
    }

    /** Turns received chunks into {@link LoadProgress} reports. */
    private static final class Tracker {
        private final int files;
        private final long total;
        private final Consumer<LoadProgress> sink;
        private final long start = System.nanoTime();
        private int filesDone;
        private long bytes;

        Tracker(int files, long total, Consumer<LoadProgress> sink) {
            this.files = files;
            this.total = total;
            this.sink = sink;
        }

        void received(long n) {
            bytes = Math.min(total, bytes + n);
            report();
        }

        void fileDone() {
            filesDone++;
            if (filesDone == files) {
                bytes = total;
            }
            report();
        }

        private void report() {
            try {
                sink.accept(new LoadProgress(filesDone, files, bytes, total, (System.nanoTime() - start) / 1e9,
                        LoadProgress.Phase.DOWNLOADING));
            } catch (RuntimeException e) {
                LOG.warn("A download progress listener failed", e);
            }
        }
    }
}
