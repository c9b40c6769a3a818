package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.RandomCheckpoint;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.generate.Sampler;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.text.CrossAttentionMask;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TorchScript text decoder (TextDecoder.py) against the op-by-op path on random weights, over the shapes the
 * configuration matrix covers: grouped-query ratios 1-4 and multi-query, head dims that are not powers of two,
 * cross-attention layers first, in the middle and last. Prompt logits (with an image and text-only), then decode
 * steps of a batch forked from the prompt, shrunk halfway, and greedy ids picked on the device. Tolerance 1e-4.
 */
class TextDecoderScriptTest {

    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hidden {0}, heads {1}, kv heads {2}, cross layers {3}")
    @CsvSource(delimiter = ';', value = {
            "48; 4; 4; 0",
            "120; 6; 2; 2",
            "96; 4; 1; 4",
            "64; 8; 2; 0 4"})
    void scriptedPassesMatchTheOpByOpPath(int hidden, int heads, int kvHeads, String crossLayers) {
        MllamaConfig config = shape(hidden, heads, kvHeads, crossLayers);
        RandomCheckpoint.write(config, dir, TensorDType.F32, 11, Long.MAX_VALUE, null, line -> { });
        try (Checkpoint checkpoint = Checkpoint.open(dir);
                MllamaModel eager = MllamaModel.load(checkpoint, ComputeContext.create("cpu", "float32"), false, (t, b) -> { });
                MllamaModel scripted = MllamaModel.load(checkpoint, ComputeContext.create("cpu", "float32"), true, (t, b) -> { })) {
            assertTrue(scripted.scriptedDecoder());
            ProcessedImage image = randomImage(config);
            int[] prompt = prompt(config, 9);
            long[] tileMask = CrossAttentionMask.dense(prompt, config.imageTokenIndex(), new int[] {image.numTiles()},
                    config.vision().maxNumTiles());
            Run a = new Run(eager, image);
            Run b = new Run(scripted, image);
            // text-only prompt: cross-attention layers skipped
            int[] text = Arrays.copyOfRange(prompt, 2, prompt.length);
            assertClose(a.prefill(text, null, true), b.prefill(text, null, true), "text-only prompt logits");
            a.closeCache();
            b.closeCache();
            // prompt with the image, every position
            assertClose(a.prefill(prompt, tileMask, true), b.prefill(prompt, tileMask, true), "prompt logits");
            long[] decodeRow = CrossAttentionMask.lastRow(tileMask, prompt.length);
            a.fork(3);
            b.fork(3);
            int[][] next = {{5}, {17}, {3}};
            for (int step = 0; step < 5; step++) {
                if (step == 3) {
                    // the middle sequence finished: its cache row goes
                    a.cache.retainRows(new long[] {0, 2});
                    b.cache.retainRows(new long[] {0, 2});
                    next = new int[][] {next[0], next[2]};
                }
                float[] expected = a.decode(next, decodeRow);
                if (step == 2) {
                    long[] ids = b.greedy(next, decodeRow);
                    int vocab = expected.length / next.length;
                    for (int r = 0; r < next.length; r++) {
                        assertEquals(Sampler.ARGMAX.sample(expected, r * vocab, vocab, null), ids[r], "greedy row " + r);
                    }
                } else {
                    assertClose(expected, b.decode(next, decodeRow), "decode step " + step);
                }
                for (int r = 0; r < next.length; r++) {
                    next[r] = new int[] {(next[r][0] * 7 + step + 1) % config.text().vocabSize()};
                }
            }
            a.close();
            b.close();
        }
    }

    /** One model's request: its image states, cache and masks. */
    private static final class Run implements AutoCloseable {
        final MllamaModel model;
        final CrossAttentionStates states;
        final NDManager scope;
        KvCache cache;

        Run(MllamaModel model, ProcessedImage image) {
            this.model = model;
            this.states = model.encodeImages(List.of(image));
            this.scope = model.context().manager().newSubManager();
        }

        float[] prefill(int[] ids, long[] tileMask, boolean allPositions) {
            cache = model.newCache(1, 4);
            try (NDManager step = scope.newSubManager()) {
                CrossAttentionInputs cross = tileMask == null ? null : model.crossInputs(step, states, tileMask, ids.length);
                return model.forward(step, model.tokenIds(step, new int[][] {ids}), cache, cross, allPositions).toFloatArray();
            }
        }

        void fork(int copies) {
            KvCache forked = cache.fork(copies, 2);
            cache.close();
            cache = forked;
        }

        float[] decode(int[][] ids, long[] decodeRow) {
            try (NDManager step = scope.newSubManager()) {
                CrossAttentionInputs cross = model.crossInputs(step, states, decodeRow, 1);
                return model.forward(step, model.tokenIds(step, ids), cache, cross, false).toFloatArray();
            }
        }

        long[] greedy(int[][] ids, long[] decodeRow) {
            try (NDManager step = scope.newSubManager()) {
                CrossAttentionInputs cross = model.crossInputs(step, states, decodeRow, 1);
                return model.greedy(step, model.tokenIds(step, ids), cache, cross);
            }
        }

        void closeCache() {
            cache.close();
        }

        @Override
        public void close() {
            cache.close();
            states.close();
            scope.close();
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        float diff = Fixtures.maxAbsDiff(expected, actual);
        assertTrue(diff < TOLERANCE, what + " differ by " + diff);
    }

    private static MllamaConfig shape(int hidden, int heads, int kvHeads, String crossLayers) {
        ObjectNode root = MllamaConfig.load(Fixtures.tinyCheckpoint().resolve("config.json")).toJson();
        ObjectNode text = (ObjectNode) root.get("text_config");
        text.put("hidden_size", hidden);
        text.put("num_attention_heads", heads);
        text.put("num_key_value_heads", kvHeads);
        ArrayNode cross = text.putArray("cross_attention_layers");
        for (String layer : crossLayers.split(" ")) {
            cross.add(Integer.parseInt(layer));
        }
        return MllamaConfig.parse(root, "test shape");
    }

    /** BOS, {@code <|image|>}, then random ordinary tokens. */
    private static int[] prompt(MllamaConfig config, int tokens) {
        SplittableRandom random = new SplittableRandom(5);
        int[] ids = new int[tokens];
        ids[0] = config.text().bosTokenId();
        ids[1] = config.imageTokenIndex();
        for (int i = 2; i < tokens; i++) {
            ids[i] = random.nextInt(400);
        }
        return ids;
    }

    /** A 2×2-tile image of random normalised pixels. */
    private static ProcessedImage randomImage(MllamaConfig config) {
        int tiles = config.vision().maxNumTiles();
        int size = config.vision().imageSize();
        float[] pixels = new float[tiles * 3 * size * size];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (random.nextDouble() * 4 - 2);
        }
        int id = 1;
        for (int i = 0; i < config.vision().supportedAspectRatios().size(); i++) {
            var ratio = config.vision().supportedAspectRatios().get(i);
            if (ratio.rows() == 2 && ratio.cols() == 2) {
                id = i + 1;
            }
        }
        return new ProcessedImage(pixels, 4, 2, 2, id, new int[] {1, 1, 1, 1});
    }
}
