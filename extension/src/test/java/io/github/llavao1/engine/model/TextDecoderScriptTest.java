package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.ReferenceImages;
import io.github.llavao1.engine.text.CrossAttentionMask;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TorchScript text decoder (TextDecoder.py) against transformers' prompt logits on the tiny fixture
 * (reference.safetensors; 1e-3, FIXTURES.md's tolerance), through every kind of pass: the first tokens read at once
 * (several positions: causal mask, and the image's cross-attention when the case has one), then the rest of the
 * prompt one token per step by a batch of three rows forked from them (the KV cache written in place and grown, the
 * cross-attention mask row of each position), the batch shrunk halfway, and every third step greedy, picking on the
 * device a token whose reference logit is the row's maximum. Other shapes: ConfigurationMatrixTest.
 */
class TextDecoderScriptTest {

    private static final float TOLERANCE = 1e-3f;
    private static final int READ_AT_ONCE = 5;

    private static Checkpoint checkpoint;
    private static MllamaModel model;
    private static SafetensorsFile reference;

    @BeforeAll
    static void load() {
        checkpoint = Checkpoint.open(Fixtures.goldenCheckpoint());
        model = MllamaModel.load(checkpoint, ComputeContext.create("cpu", "float32"), (tensor, bytes) -> { });
        reference = Fixtures.referenceTensors();
    }

    @AfterAll
    static void close() {
        model.close();
        checkpoint.close();
        reference.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "square", "two_images"})
    void everyPassMatchesTheReferenceLogits(String caseName) {
        int[] ids = Fixtures.ints(Fixtures.referenceCase(caseName).get("input_ids"));
        float[] expected = reference.readFloats(caseName + ".logits");
        int vocab = model.config().text().vocabSize();
        assertEquals((long) ids.length * vocab, expected.length);
        List<ProcessedImage> images = caseName.equals("text") ? List.of() : ReferenceImages.of(reference, caseName);
        CrossAttentionStates states = images.isEmpty() ? null : model.encodeImages(images);
        long[] tileMask = states == null ? null : CrossAttentionMask.dense(ids, model.config().imageTokenIndex(),
                images.stream().mapToInt(ProcessedImage::numTiles).toArray(), model.config().vision().maxNumTiles());
        int perToken = tileMask == null ? 0 : tileMask.length / ids.length;
        KvCache prompt = model.newCache(1, 2);
        KvCache batch = null;
        try (NDManager scope = model.context().manager().newSubManager()) {
            try (NDManager step = scope.newSubManager()) {
                CrossAttentionInputs cross = states == null ? null
                        : model.crossInputs(step, states, Arrays.copyOf(tileMask, READ_AT_ONCE * perToken), READ_AT_ONCE);
                float[] logits = model.forward(step, model.tokenIds(step, new int[][] {Arrays.copyOf(ids, READ_AT_ONCE)}), prompt,
                        cross, true).toFloatArray();
                assertClose(Arrays.copyOf(expected, READ_AT_ONCE * vocab), logits, caseName + ": first " + READ_AT_ONCE + " positions");
            }
            batch = prompt.fork(3, 1);
            int rows = 3;
            for (int p = READ_AT_ONCE; p < ids.length; p++) {
                if (p == (READ_AT_ONCE + ids.length) / 2) {
                    // the middle row finished: its cache row goes
                    batch.retainRows(new long[] {0, 2});
                    rows = 2;
                }
                float[] row = Arrays.copyOfRange(expected, p * vocab, (p + 1) * vocab);
                int[][] next = new int[rows][];
                Arrays.fill(next, new int[] {ids[p]});
                try (NDManager step = scope.newSubManager()) {
                    CrossAttentionInputs cross = states == null ? null
                            : model.crossInputs(step, states, Arrays.copyOfRange(tileMask, p * perToken, (p + 1) * perToken), 1);
                    if (p % 3 == 0) {
                        long[] chosen = model.greedy(step, model.tokenIds(step, next), batch, cross);
                        float max = Float.NEGATIVE_INFINITY;
                        for (float v : row) {
                            max = Math.max(max, v);
                        }
                        for (int r = 0; r < rows; r++) {
                            assertTrue(row[(int) chosen[r]] > max - TOLERANCE, caseName + ": greedy at position " + p + ", row " + r);
                        }
                    } else {
                        float[] logits = model.forward(step, model.tokenIds(step, next), batch, cross, false).toFloatArray();
                        for (int r = 0; r < rows; r++) {
                            assertClose(row, Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab),
                                    caseName + ": position " + p + ", row " + r);
                        }
                    }
                }
            }
            assertEquals(ids.length, batch.length());
        } finally {
            prompt.close();
            if (batch != null) {
                batch.close();
            }
            if (states != null) {
                states.close();
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        float diff = Fixtures.maxAbsDiff(expected, actual);
        assertTrue(diff < TOLERANCE, what + " differ by " + diff);
    }
}
