package io.github.llavao1.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageProcessorTest {

    private static final int TILE = 56;
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final double RESCALE = 1 / 255.0;

    private final ImageProcessor processor = new ImageProcessor(TILE, 4, TileLayoutTest.RATIOS, MEAN, STD, RESCALE);

    @Test
    void upscalesSmallImageOntoOneTile() {
        // 20×30 → canvas 1×1 (56×56), resized up to 37×56 (see TileLayoutTest); a constant colour stays constant
        ProcessedImage out = processor.process(constant(20, 30, 200, 100, 50));

        assertEquals(1, out.numTiles());
        assertEquals(1, out.tileRows());
        assertEquals(1, out.tileCols());
        assertEquals(1, out.aspectRatioId());
        assertArrayEquals(new int[]{1, 0, 0, 0}, out.aspectRatioMask());
        int[] colour = {200, 100, 50};
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < TILE; y++) {
                for (int x = 0; x < TILE; x++) {
                    float expected = normalised(x < 37 ? colour[c] : 0, c);
                    assertEquals(expected, value(out, 0, c, y, x), 1e-6, "c " + c + " y " + y + " x " + x);
                }
            }
        }
        assertPaddingTilesZero(out);
    }

    @Test
    void splitsTilesRowByRow() {
        // 112×112 fills a 2×2 canvas exactly; each quadrant a different colour, so each tile is constant
        int[][] colours = {{10, 0, 0}, {20, 0, 0}, {30, 0, 0}, {40, 0, 0}};
        byte[] rgb = new byte[112 * 112 * 3];
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                rgb[(y * 112 + x) * 3] = (byte) colours[(y / TILE) * 2 + x / TILE][0];
            }
        }
        ProcessedImage out = processor.process(new RgbImage(112, 112, rgb));

        assertEquals(4, out.numTiles());
        assertEquals(6, out.aspectRatioId());
        assertArrayEquals(new int[]{1, 1, 1, 1}, out.aspectRatioMask());
        for (int t = 0; t < 4; t++) {
            assertEquals(normalised(colours[t][0], 0), value(out, t, 0, 0, 0), 1e-6, "tile " + t);
            assertEquals(normalised(colours[t][0], 0), value(out, t, 0, TILE - 1, TILE - 1), 1e-6, "tile " + t);
        }
    }

    @Test
    void veryWideImageBecomesOneRowOfFourTiles() {
        ProcessedImage out = processor.process(constant(10_000, 1, 255, 255, 255));

        assertEquals(1, out.tileRows());
        assertEquals(4, out.tileCols());
        assertEquals(4, out.aspectRatioId());
        assertArrayEquals(new int[]{1, 1, 1, 1}, out.aspectRatioMask());
        for (int t = 0; t < 4; t++) {
            // one image row of white on top, zero padding below
            assertEquals(normalised(255, 1), value(out, t, 1, 0, TILE - 1), 1e-6);
            assertEquals(normalised(0, 1), value(out, t, 1, 1, 0), 1e-6);
        }
    }

    @Test
    void veryTallImageBecomesOneColumnOfFourTiles() {
        ProcessedImage out = processor.process(constant(3, 5000, 0, 0, 0));
        assertEquals(4, out.tileRows());
        assertEquals(1, out.tileCols());
        assertEquals(8, out.aspectRatioId());
    }

    @Test
    void processesLargePhotoAtFullModelSize() {
        // Llama 3.2 Vision settings: 560-pixel tiles; 4000×3000 → 2×2 canvas, resized to 1120×840
        ImageProcessor full = new ImageProcessor(560, 4, TileLayoutTest.RATIOS, MEAN, STD, RESCALE);
        byte[] rgb = new byte[4000 * 3000 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 31 >> 7);
        }
        RgbImage photo = new RgbImage(4000, 3000, rgb);

        long start = System.nanoTime();
        ProcessedImage out = full.process(photo);
        System.out.printf("4000×3000 → 2×2 tiles of 560: %.0f ms%n", (System.nanoTime() - start) / 1e6);

        assertEquals(4, out.numTiles());
        assertEquals(4 * 3 * 560 * 560, out.pixelValues().length);
        assertEquals(560, out.tileSize());
        // rows 840.. of the canvas are padding: bottom tiles' last row
        assertEquals(normalised(0, 2), out.pixelValues()[(3 * 3 + 2) * 560 * 560 + 559 * 560], 1e-6);
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ImageProcessor(0, 4, TileLayoutTest.RATIOS, MEAN, STD, RESCALE));
        assertThrows(IllegalArgumentException.class, () -> new ImageProcessor(56, 0, TileLayoutTest.RATIOS, MEAN, STD, RESCALE));
        assertThrows(IllegalArgumentException.class, () -> new ImageProcessor(56, 4, List.of(), MEAN, STD, RESCALE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageProcessor(56, 3, TileLayoutTest.RATIOS, MEAN, STD, RESCALE));
        assertTrue(e.getMessage().contains("supportedAspectRatios[3] = [1, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ImageProcessor(56, 4, List.of(new int[]{1}), MEAN, STD, RESCALE));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageProcessor(56, 4, TileLayoutTest.RATIOS, new float[2], STD, RESCALE));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageProcessor(56, 4, TileLayoutTest.RATIOS, MEAN, new float[]{1, 0, 1}, RESCALE));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageProcessor(56, 4, TileLayoutTest.RATIOS, MEAN, STD, 0));
    }

    @Test
    void rgbImageValidatesItsSize() {
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(0, 1, new byte[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
        assertTrue(e.getMessage().contains("expected width 2 × height 2 × 3 = 12"), e.getMessage());
    }

    private static void assertPaddingTilesZero(ProcessedImage out) {
        int tileValues = 3 * TILE * TILE;
        for (int i = out.numTiles() * tileValues; i < out.pixelValues().length; i++) {
            assertEquals(0f, out.pixelValues()[i], "padding tile value " + i);
        }
    }

    /** The normalised value of 8-bit level {@code v} in channel {@code c}, straight from the definition. */
    private static float normalised(int v, int c) {
        return (float) ((v * RESCALE - MEAN[c]) / STD[c]);
    }

    private static float value(ProcessedImage image, int tile, int c, int y, int x) {
        return image.pixelValues()[((tile * 3 + c) * TILE + y) * TILE + x];
    }

    private static RgbImage constant(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, rgb);
    }
}
