package io.github.llavao1.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.LoadProgress;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a fake Hub on loopback into a Hugging Face cache layout (no test reaches the real Hub). */
class ModelDownloaderTest {

    private static final String ID = "Org/Tiny-Mllama";
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";
    private static final List<String> CHECKPOINT = List.of("config.json", "generation_config.json",
            "model.safetensors.index.json", SHARD1, SHARD2, "preprocessor_config.json", "tokenizer.json");

    @TempDir
    Path cache;

    private FakeHub hub;
    private final List<LoadProgress> reports = new ArrayList<>();

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub(Fixtures.tinyCheckpoint(), ID, COMMIT);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private ModelDownloader downloader(boolean offline, String token) {
        // an empty environment: HF_* variables of the machine running the tests change nothing
        return new ModelDownloader(HubSettings.builder().endpoint(hub.endpoint()).cacheDir(cache).offline(offline)
                .token(token).build(Map.of(), cache.resolve("home")));
    }

    private Path fetch() {
        return downloader(false, null).fetch(HubModel.of(ID), reports::add);
    }

    private Path repo() {
        return cache.resolve("models--Org--Tiny-Mllama");
    }

    private List<FakeHub.Request> cdnGets(String file) {
        String path = "/cdn/" + hub.sha256Of(file);
        return hub.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void firstFetchDownloadsOnlyTheCheckpointFilesIntoTheHubLayout() throws IOException {
        Path snapshot = fetch();

        assertEquals(repo().resolve("snapshots").resolve(COMMIT), snapshot);
        assertEquals(COMMIT, Files.readString(repo().resolve("refs/main")));
        try (Stream<Path> list = Files.list(snapshot)) {
            assertEquals(CHECKPOINT.stream().sorted().toList(), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String file : CHECKPOINT) {
            Path pointer = snapshot.resolve(file);
            assertTrue(Files.isSymbolicLink(pointer), file);
            String etag = file.endsWith(".safetensors") ? hub.sha256Of(file)
                    : FakeHub.gitSha1(Files.readAllBytes(Fixtures.tinyCheckpoint().resolve(file)));
            assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(pointer), file);
            assertArrayEquals(Files.readAllBytes(Fixtures.tinyCheckpoint().resolve(file)), Files.readAllBytes(pointer), file);
        }
        // the repository's other files (reference data, images) are not fetched
        assertTrue(hub.requests().stream().noneMatch(r -> r.path().contains("reference") || r.path().endsWith(".png")),
                hub.requests().toString());
        try (Checkpoint checkpoint = Checkpoint.open(snapshot)) {
            assertEquals(2, checkpoint.shards().size());
        }

        LoadProgress last = reports.get(reports.size() - 1);
        long expected = 0;
        for (String file : CHECKPOINT) {
            expected += file.endsWith(".json") && file.startsWith("model.") ? 0 : Files.size(snapshot.resolve(file));
        }
        assertEquals(LoadProgress.Phase.DOWNLOADING, last.phase());
        assertEquals(expected, last.totalBytes());
        assertEquals(expected, last.bytesLoaded());
        assertEquals(6, last.shards());
        assertEquals(6, last.shardsDone());
        assertTrue(reports.stream().allMatch(p -> p.bytesLoaded() <= p.totalBytes()));
        assertTrue(last.toString().startsWith("downloading 0.00/0.00 GB (100%), files 6/6"), last.toString());
    }

    @Test
    void secondFetchUsesTheCacheWithoutARequest() {
        Path first = fetch();
        hub.clearRequests();

        Path second = downloader(false, null).fetch(HubModel.of(ID), null);

        assertEquals(first, second);
        assertEquals(List.of(), hub.requests());
        assertTrue(downloader(true, null).cached(HubModel.of(ID)));
        assertEquals(first, downloader(true, null).fetch(new HubModel(ID, COMMIT), null));
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void anInterruptedTransferResumesWithARangeRequest() throws IOException {
        hub.cutOnce(SHARD1, 300_000);

        Path snapshot = fetch();

        List<FakeHub.Request> gets = cdnGets(SHARD1);
        assertEquals(2, gets.size(), gets.toString());
        assertNull(gets.get(0).range());
        long resumedAt = Long.parseLong(gets.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(resumedAt > 0 && resumedAt <= 300_000, gets.get(1).range());
        assertArrayEquals(Files.readAllBytes(Fixtures.tinyCheckpoint().resolve(SHARD1)),
                Files.readAllBytes(snapshot.resolve(SHARD1)));
    }

    @Test
    void aPartialFileLeftByAnotherRunIsResumed() throws IOException {
        byte[] shard = Files.readAllBytes(Fixtures.tinyCheckpoint().resolve(SHARD1));
        Path partial = repo().resolve("blobs").resolve(hub.sha256Of(SHARD1) + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, java.util.Arrays.copyOf(shard, 500_000));

        Path snapshot = fetch();

        assertEquals(List.of("bytes=500000-"), cdnGets(SHARD1).stream().map(FakeHub.Request::range).toList());
        assertArrayEquals(shard, Files.readAllBytes(snapshot.resolve(SHARD1)));
        assertFalse(Files.exists(partial));
        LoadProgress last = reports.get(reports.size() - 1);
        assertEquals(shard.length - 500_000L, last.totalBytes() - sizeOfAllBut(snapshot, SHARD1));
    }

    private static long sizeOfAllBut(Path snapshot, String skip) throws IOException {
        long bytes = 0;
        for (String file : CHECKPOINT) {
            if (!file.equals(skip) && !file.equals("model.safetensors.index.json")) {
                bytes += Files.size(snapshot.resolve(file));
            }
        }
        return bytes;
    }

    @Test
    void aCorruptedTransferFailsItsChecksumAndIsFetchedAgain() throws IOException {
        hub.corruptOnce(SHARD2);

        Path snapshot = fetch();

        assertEquals(2, cdnGets(SHARD2).size());
        assertEquals(hub.sha256Of(SHARD2), BlobTransfer.sha256(snapshot.resolve(SHARD2)));
    }

    @Test
    void aCorruptedCachedFileIsDetectedAndFetchedAgain() throws IOException {
        Path snapshot = fetch();
        Path blob = snapshot.resolve(SHARD2).toRealPath();
        flipOneByte(blob);

        HubException offline = assertThrows(HubException.class, () -> downloader(true, null).fetch(HubModel.of(ID), null));
        assertTrue(offline.getMessage().contains(SHARD2 + " (corrupted"), offline.getMessage());

        hub.clearRequests();
        downloader(false, null).fetch(HubModel.of(ID), null);
        assertEquals(1, cdnGets(SHARD2).size());
        assertEquals(0, cdnGets(SHARD1).size());
        assertEquals(hub.sha256Of(SHARD2), BlobTransfer.sha256(snapshot.resolve(SHARD2)));
    }

    private static void flipOneByte(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(1000);
            int b = raf.read();
            raf.seek(1000);
            raf.write(b ^ 0xff);
        }
        // a later modification time, as any real change has
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() + 5000));
    }

    @Test
    void offlineWithAnEmptyCacheFailsNamingTheFilesWithoutARequest() {
        HubException e = assertThrows(HubException.class, () -> downloader(true, null).fetch(HubModel.of(ID), null));

        for (String file : List.of("config.json", "tokenizer.json", "preprocessor_config.json", "weights")) {
            assertTrue(e.getMessage().contains(file), e.getMessage());
        }
        assertTrue(e.getMessage().contains("Offline mode"), e.getMessage());
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void offlineWithAnIncompleteSnapshotNamesTheMissingShard() throws IOException {
        Path snapshot = fetch();
        Files.delete(snapshot.resolve(SHARD2));
        hub.clearRequests();

        HubException e = assertThrows(HubException.class, () -> downloader(true, null).fetch(HubModel.of(ID), null));

        assertTrue(e.getMessage().endsWith("missing: " + SHARD2
                + ". Download it once with network access (e.g. the 'download' command), or point at a local copy"),
                e.getMessage());
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void aCacheWrittenByHuggingfaceCliIsUsedAsIs() throws IOException {
        // the layout huggingface_hub writes: blobs by etag, refs/main, relative links; no marker of this project
        Path snapshot = FakeHub.writeCliCache(cache, ID, COMMIT, Fixtures.tinyCheckpoint(), CHECKPOINT);
        long shardTime = Files.getLastModifiedTime(snapshot.resolve(SHARD1)).toMillis();

        Path resolved = downloader(false, null).fetch(HubModel.of(ID), null);

        assertEquals(snapshot, resolved);
        assertEquals(List.of(), hub.requests());
        assertEquals(shardTime, Files.getLastModifiedTime(snapshot.resolve(SHARD1)).toMillis());
    }

    @Test
    void theTokenGoesToTheHubButNotToTheCdn() {
        hub.requireToken("hf_test_token");

        HubException refused = assertThrows(HubException.class, () -> fetch());
        assertTrue(refused.getMessage().contains("set HF_TOKEN"), refused.getMessage());

        downloader(false, "hf_test_token").fetch(HubModel.of(ID), null);
        for (FakeHub.Request request : hub.requests()) {
            if (request.path().startsWith("/cdn/")) {
                assertNull(request.authorization(), request.toString());
            } else if (request.path().startsWith("/api/") || request.path().contains("/resolve/")) {
                assertTrue(request.authorization() == null || request.authorization().equals("Bearer hf_test_token"));
            }
        }
        assertTrue(hub.requests().stream().anyMatch(r -> "Bearer hf_test_token".equals(r.authorization())));
    }

    @Test
    void twoConcurrentFetchesDownloadEachFileOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = pool.submit(() -> downloader(false, null).fetch(HubModel.of(ID), null));
            Future<Path> b = pool.submit(() -> downloader(false, null).fetch(HubModel.of(ID), null));
            assertEquals(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, cdnGets(SHARD1).size());
        assertEquals(1, cdnGets(SHARD2).size());
        long configGets = hub.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith("/config.json")).count();
        assertEquals(1, configGets);
    }

    @Test
    void aRepositoryWithoutTheCheckpointFilesIsRefusedNamingThem(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("config.json"), "{}", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("README.md"), "hello", StandardCharsets.UTF_8);
        try (FakeHub other = new FakeHub(folder, ID, COMMIT)) {
            ModelDownloader downloader = new ModelDownloader(HubSettings.builder().endpoint(other.endpoint())
                    .cacheDir(cache).build(Map.of(), cache));
            HubException e = assertThrows(HubException.class, () -> downloader.fetch(HubModel.of(ID), null));
            assertTrue(e.getMessage().contains("has no tokenizer.json, preprocessor_config.json, model.safetensors or "
                    + "model.safetensors.index.json"), e.getMessage());
        }
    }
}
