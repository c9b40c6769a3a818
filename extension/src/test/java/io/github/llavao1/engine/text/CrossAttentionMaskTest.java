package io.github.llavao1.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.checkpoint.TensorInfo;
import io.github.llavao1.engine.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossAttentionMaskTest {

    private static final int IMAGE = 431;

    @Test
    void denseMaskEqualsTheProcessorsForEveryImageCase() {
        try (SafetensorsFile reference = Fixtures.referenceTensors()) {
            for (String name : Fixtures.IMAGE_CASES) {
                JsonNode c = Fixtures.referenceCase(name);
                TensorInfo expected = reference.tensor(name + ".cross_attention_mask");
                long[] shape = expected.shape();
                int[] ids = Fixtures.ints(c.get("input_ids"));
                int[] numTiles = Fixtures.ints(c.get("slow.num_tiles"));
                assertArrayEquals(new long[] {1, ids.length, numTiles.length, 4}, shape, name);

                long[] mask = CrossAttentionMask.dense(ids, IMAGE, numTiles, 4);
                assertArrayEquals(reference.readLongs(name + ".cross_attention_mask"), mask, name);
            }
        }
    }

    @Test
    void twoAdjacentImagesBothAttendToTheWholeQuestion() {
        JsonNode c = Fixtures.referenceCase("two_images");
        int[] ids = Fixtures.ints(c.get("input_ids"));
        List<int[]> spans = CrossAttentionMask.imageSpans(ids, IMAGE);
        assertEquals(2, spans.size());
        assertArrayEquals(new int[] {8, ids.length}, spans.get(0));
        assertArrayEquals(new int[] {9, ids.length}, spans.get(1));

        long[] mask = CrossAttentionMask.dense(ids, IMAGE, new int[] {4, 3}, 4);
        // Last token: all 4 tiles of image 0, 3 of image 1; the padding tile of image 1 stays masked.
        int last = (ids.length - 1) * 2 * 4;
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 0}, Arrays.copyOfRange(mask, last, last + 8));
        // The BOS before the images attends to nothing.
        assertArrayEquals(new long[8], Arrays.copyOfRange(mask, 0, 8));
    }

    @Test
    void spansFollowTransformersGroupingRule() {
        // Images at 1, 2 (adjacent), 5, and 7, 8 (adjacent, at the end). Worked through
        // get_cross_attention_token_mask by hand: [1,5] [2,5] [5,7] [7,9] [8,9].
        int[] ids = {0, 9, 9, 1, 2, 9, 3, 9, 9};
        List<int[]> spans = CrossAttentionMask.imageSpans(ids, 9);
        int[][] expected = {{1, 5}, {2, 5}, {5, 7}, {7, 9}, {8, 9}};
        assertEquals(expected.length, spans.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], spans.get(i), "image " + i);
        }
    }

    @Test
    void singleImageRunsToTheEnd() {
        List<int[]> spans = CrossAttentionMask.imageSpans(new int[] {5, 6, 9, 7, 8}, 9);
        assertEquals(1, spans.size());
        assertArrayEquals(new int[] {2, 5}, spans.get(0));
        assertArrayEquals(new int[] {4, 5}, CrossAttentionMask.imageSpans(new int[] {5, 6, 7, 8, 9}, 9).get(0));
    }

    @Test
    void noImageTokenGivesAnEmptyMask() {
        assertEquals(0, CrossAttentionMask.imageSpans(new int[] {1, 2, 3}, 9).size());
        assertEquals(0, CrossAttentionMask.dense(new int[] {1, 2, 3}, 9, new int[0], 4).length);
    }

    @Test
    void mismatchedImageCountsAndTileCountsAreRejected() {
        int[] ids = {1, 9, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossAttentionMask.dense(ids, 9, new int[] {4, 2}, 4));
        assertTrue(e.getMessage().contains("1 image tokens") && e.getMessage().contains("2 entries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossAttentionMask.dense(ids, 9, new int[] {5}, 4));
        assertTrue(e.getMessage().contains("numTilesPerImage[0] = 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrossAttentionMask.dense(ids, 9, new int[] {0}, 4));
        assertThrows(IllegalArgumentException.class, () -> CrossAttentionMask.dense(ids, 9, new int[] {1}, 0));
    }
}
