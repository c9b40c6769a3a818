package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.ReferenceImages;
import io.github.llavao1.engine.text.CrossAttentionMask;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vision attention computed in blocks of query rows sized by bytes gives the whole-matrix result: prompt logits of a
 * model with 5,376-byte score blocks (7 of the 96 vision rows over 2 heads) against one computing every score matrix
 * in one piece. (The text decoder's attention is libtorch's scaled_dot_product_attention, which never materialises
 * whole score matrices on the CPU.)
 */
class BlockwiseAttentionTest {

    private static Checkpoint checkpoint;
    private static MllamaModel whole;
    private static MllamaModel blockwise;
    private static SafetensorsFile reference;

    @BeforeAll
    static void load() {
        checkpoint = Checkpoint.open(Fixtures.tinyCheckpoint());
        whole = MllamaModel.load(checkpoint, VisionConformanceTest.cpu(Long.MAX_VALUE), (tensor, bytes) -> { });
        blockwise = MllamaModel.load(checkpoint, VisionConformanceTest.cpu(7L * 2 * 96 * Float.BYTES), (tensor, bytes) -> { });
        reference = Fixtures.referenceTensors();
    }

    @AfterAll
    static void close() {
        whole.close();
        blockwise.close();
        checkpoint.close();
        reference.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "two_images"})
    void promptLogitsMatchTheWholeMatrixComputation(String caseName) {
        int[] ids = Fixtures.ints(Fixtures.referenceCase(caseName).get("input_ids"));
        List<ProcessedImage> images = caseName.equals("text") ? List.of() : ReferenceImages.of(reference, caseName);
        float[] expected = promptLogits(whole, ids, images);
        float[] actual = promptLogits(blockwise, ids, images);
        assertEquals(expected.length, actual.length);
        float diff = Fixtures.maxAbsDiff(expected, actual);
        assertTrue(diff < 1e-4, caseName + ": blockwise attention changes the logits by " + diff);
    }

    private static float[] promptLogits(MllamaModel model, int[] ids, List<ProcessedImage> images) {
        assertEquals(DataType.FLOAT32, model.context().dtype());
        try (KvCache cache = model.newCache(1, ids.length); NDManager step = model.context().manager().newSubManager()) {
            CrossAttentionInputs cross = null;
            CrossAttentionStates states = null;
            if (!images.isEmpty()) {
                states = model.encodeImages(images);
                int[] tiles = images.stream().mapToInt(ProcessedImage::numTiles).toArray();
                long[] tileMask = CrossAttentionMask.dense(ids, model.config().imageTokenIndex(), tiles,
                        model.config().vision().maxNumTiles());
                cross = model.crossInputs(step, states, tileMask, ids.length);
            }
            NDArray ids2d = model.tokenIds(step, new int[][] {ids});
            float[] logits = model.forward(step, ids2d, cache, cross, true).toFloatArray();
            if (states != null) {
                states.close();
            }
            return logits;
        }
    }
}
