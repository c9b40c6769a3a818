package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's image-encoding cache on the tiny checkpoint: hits, misses, the byte bound, sharing across threads. */
class ImageCacheTest {

    /** One tiny-checkpoint image's cross-attention K/V: 2 layers × (K + V) × 2 kv heads × 16 × 68 positions × 4 B. */
    private static final long ENCODING_BYTES = 2L * 2 * 2 * 16 * 68 * Float.BYTES;

    private static LlavaEngine uncached;
    private static List<ProcessedImage> images;
    private static int[] prompt;
    private static List<int[]> expected;

    @BeforeAll
    static void load() throws Exception {
        uncached = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(0));
        images = new ArrayList<>();
        for (String name : List.of("square.png", "wide.png", "rgba.png", "tall.png")) {
            images.add(uncached.processImage(Fixtures.tinyCheckpoint().resolve(name)));
        }
        prompt = Fixtures.ints(Fixtures.referenceCase("square").get("input_ids"));
        expected = new ArrayList<>();
        for (ProcessedImage image : images) {
            expected.add(answer(uncached, image, 11));
        }
    }

    @AfterAll
    static void close() {
        uncached.close();
    }

    private static EngineOptions options(long cacheBytes) {
        return EngineOptions.builder().device("cpu").imageCacheBytes(cacheBytes).build();
    }

    /** Four sampled tokens about {@code image}, seed {@code seed}. */
    private static int[] answer(LlavaEngine engine, ProcessedImage image, long seed) {
        GenerationOptions sampled = GenerationOptions.builder().temperature(1.0).topP(0.95).seed(seed).maxNewTokens(4)
                .ignoreEos(true).build();
        try (Session session = engine.newSession(List.of(image))) {
            return session.generate(session.prefill(prompt), sampled, 1, null).get(0).tokens();
        }
    }

    @Test
    void aSecondRequestWithTheSameImageSkipsTheVisionTowerAndAnswersTheSame() throws Exception {
        try (LlavaEngine engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(1L << 20))) {
            assertArrayEquals(expected.get(0), answer(engine, images.get(0), 11));
            assertEquals(new ImageCacheStats(0, 1, 0, 1, ENCODING_BYTES, 1L << 20), engine.imageCacheStats());
            // the same file decoded again, and the same bytes through the byte-array path: equal pixels, hits
            ProcessedImage again = engine.processImage(Fixtures.tinyCheckpoint().resolve("square.png"));
            byte[] bytes = Files.readAllBytes(Fixtures.tinyCheckpoint().resolve("square.png"));
            assertArrayEquals(expected.get(0), answer(engine, again, 11));
            assertArrayEquals(expected.get(0), answer(engine, engine.processImage(bytes, "square.png"), 11));
            assertEquals(2, engine.imageCacheStats().hits());
            assertEquals(1, engine.imageCacheStats().misses(), "the vision tower ran once");
        }
    }

    @Test
    void aDifferentImageMissesEvenWhenOnePixelDiffers() {
        try (LlavaEngine engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(1L << 20))) {
            answer(engine, images.get(0), 11);
            assertArrayEquals(expected.get(1), answer(engine, images.get(1), 11));
            ProcessedImage square = images.get(0);
            float[] pixels = square.pixelValues().clone();
            pixels[pixels.length / 3] += 0.25f;
            ProcessedImage touched = new ProcessedImage(pixels, square.numTiles(), square.tileRows(), square.tileCols(),
                    square.aspectRatioId(), square.aspectRatioMask());
            answer(engine, touched, 11);
            ImageCacheStats stats = engine.imageCacheStats();
            assertEquals(0, stats.hits(), stats.toString());
            assertEquals(3, stats.misses(), stats.toString());
            assertEquals(3, stats.entries(), stats.toString());
        }
    }

    @Test
    void theCacheStaysWithinItsByteBoundDroppingTheLeastRecentlyUsed() {
        long bound = 2 * ENCODING_BYTES + ENCODING_BYTES / 2;
        try (LlavaEngine engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(bound))) {
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(expected.get(i), answer(engine, images.get(i), 11), "image " + i);
                ImageCacheStats stats = engine.imageCacheStats();
                assertTrue(stats.bytes() <= bound, stats.toString());
                assertTrue(stats.entries() <= 2, stats.toString());
            }
            // four images with room for two: the first two were dropped
            ImageCacheStats stats = engine.imageCacheStats();
            assertEquals(new ImageCacheStats(0, 4, 2, 2, 2 * ENCODING_BYTES, bound), stats);
            // the two most recent stay: rgba (2) and tall (3) hit, square (0) misses again
            answer(engine, images.get(2), 11);
            answer(engine, images.get(3), 11);
            answer(engine, images.get(0), 11);
            assertEquals(2, engine.imageCacheStats().hits());
            assertEquals(5, engine.imageCacheStats().misses());
        }
    }

    @Test
    void aBoundBelowOneImageKeepsNothingAndZeroTurnsTheCacheOff() {
        try (LlavaEngine small = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(ENCODING_BYTES - 1))) {
            assertArrayEquals(expected.get(0), answer(small, images.get(0), 11));
            assertArrayEquals(expected.get(0), answer(small, images.get(0), 11));
            assertEquals(new ImageCacheStats(0, 2, 2, 0, 0, ENCODING_BYTES - 1), small.imageCacheStats());
        }
        answer(uncached, images.get(0), 11);
        ImageCacheStats off = uncached.imageCacheStats();
        assertEquals(0, off.hits());
        assertEquals(0, off.entries());
        assertEquals(0, off.capacityBytes());
    }

    @Test
    void severalImagesOfOneRequestAreCachedOneByOne() {
        int[] twoImagePrompt = Fixtures.ints(Fixtures.referenceCase("two_images").get("input_ids"));
        List<ProcessedImage> pair = List.of(images.get(0), images.get(1));
        float[] expectedLogits;
        try (Session session = uncached.newSession(pair)) {
            expectedLogits = session.promptLogits(twoImagePrompt);
        }
        try (LlavaEngine engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(1L << 20))) {
            answer(engine, images.get(1), 11);
            for (int i = 0; i < 2; i++) {
                try (Session session = engine.newSession(pair)) {
                    float diff = Fixtures.maxAbsDiff(expectedLogits, session.promptLogits(twoImagePrompt));
                    assertTrue(diff < 1e-5, "two cached images' logits differ by " + diff);
                }
            }
            ImageCacheStats stats = engine.imageCacheStats();
            assertEquals(3, stats.hits(), stats.toString());
            assertEquals(2, stats.misses(), stats.toString());
        }
    }

    @Test
    void eightThreadsSharingImagesGetTheirOwnAnswers() throws Exception {
        // room for two of the four images: encodings are evicted while other threads still use them
        long bound = 2 * ENCODING_BYTES;
        try (LlavaEngine engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(bound))) {
            answer(engine, images.get(0), 11);
            int baseline = engine.liveNativeArrays();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 4; i++) {
                            int which = (thread + i) % 2 == 0 ? 0 : (thread + i) % images.size();
                            assertArrayEquals(expected.get(which), answer(engine, images.get(which), 11),
                                    "thread " + thread + " request " + i + " image " + which);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } finally {
                pool.shutdownNow();
            }
            ImageCacheStats stats = engine.imageCacheStats();
            assertEquals(33, stats.hits() + stats.misses(), stats.toString());
            assertTrue(stats.hits() > 0, stats.toString());
            assertTrue(stats.bytes() <= bound, stats.toString());
            assertEquals(baseline, engine.liveNativeArrays(), "every evicted encoding was freed once its last user left");
        }
    }

    @Test
    void closingTheEngineForgetsTheCache() {
        LlavaEngine engine = LlavaEngine.load(Fixtures.tinyCheckpoint(), options(1L << 20));
        answer(engine, images.get(0), 11);
        assertEquals(1, engine.imageCacheStats().entries());
        engine.close();
        ImageCacheStats stats = engine.imageCacheStats();
        assertEquals(0, stats.entries());
        assertEquals(0, stats.bytes());
    }

    @Test
    void aNegativeBoundOtherThanTheDeviceDefaultIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options(-2));
        assertTrue(e.getMessage().startsWith("imageCacheBytes"), e.getMessage());
        assertEquals(EngineOptions.CPU_IMAGE_CACHE_BYTES, EngineOptions.defaults().imageCacheBytes(false));
        assertEquals(EngineOptions.GPU_IMAGE_CACHE_BYTES, EngineOptions.defaults().imageCacheBytes(true));
        assertEquals(0, options(0).imageCacheBytes(true));
    }
}
