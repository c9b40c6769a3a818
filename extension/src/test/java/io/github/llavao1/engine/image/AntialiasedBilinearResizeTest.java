package io.github.llavao1.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Hand-computed cases of torch's uint8 antialiased bilinear resize (weights and fixed point worked out below). */
class AntialiasedBilinearResizeTest {

    @Test
    void upscalesTwoPixelsToFour() {
        // scale 0.5, support 1: outputs 1 and 2 mix [0, 255] with weights (0.75, 0.25) and (0.25, 0.75);
        // precision 14 bits: (255·4096 + 8192) >> 14 = 64, (255·12288 + 8192) >> 14 = 191
        RgbImage out = AntialiasedBilinearResize.resize(row(0, 255), 4, 1);
        assertArrayEquals(new int[]{0, 64, 191, 255}, channel(out, 0));
    }

    @Test
    void downscalesFourPixelsToTwo() {
        // scale 2, support 2: weights (3, 3, 1)/7 over pixels 0..2 and (1, 3, 3)/7 over 1..3; precision 16 bits
        // gives 28087 and 9362: (32768 + 100·28087 + 200·9362) >> 16 = 71, (32768 + 100·9362 + 455·28087) >> 16 = 209
        RgbImage out = AntialiasedBilinearResize.resize(row(0, 100, 200, 255), 2, 1);
        assertArrayEquals(new int[]{71, 209}, channel(out, 0));
    }

    @Test
    void resizesVerticallyWithTheSameFilter() {
        RgbImage column = new RgbImage(1, 2, new byte[]{0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        RgbImage out = AntialiasedBilinearResize.resize(column, 1, 4);
        assertEquals(4, out.height());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(new int[]{0, 64, 191, 255},
                    new int[]{out.sample(0, 0, c), out.sample(0, 1, c), out.sample(0, 2, c), out.sample(0, 3, c)});
        }
    }

    @Test
    void keepsConstantColourConstantBothWays() {
        byte[] rgb = new byte[7 * 5 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) 250;
            rgb[i + 1] = 3;
            rgb[i + 2] = (byte) 128;
        }
        RgbImage image = new RgbImage(7, 5, rgb);
        for (int[] size : new int[][]{{31, 17}, {3, 2}, {7, 13}, {1, 1}}) {
            RgbImage out = AntialiasedBilinearResize.resize(image, size[0], size[1]);
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    assertArrayEquals(new int[]{250, 3, 128},
                            new int[]{out.sample(x, y, 0), out.sample(x, y, 1), out.sample(x, y, 2)});
                }
            }
        }
    }

    @Test
    void leavesSameSizeImageAlone() {
        RgbImage image = row(1, 2, 3);
        assertSame(image, AntialiasedBilinearResize.resize(image, 3, 1));
    }

    /** A one-row grey image whose three channels carry {@code values}. */
    private static RgbImage row(int... values) {
        byte[] rgb = new byte[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            rgb[3 * i] = (byte) values[i];
            rgb[3 * i + 1] = (byte) values[i];
            rgb[3 * i + 2] = (byte) values[i];
        }
        return new RgbImage(values.length, 1, rgb);
    }

    private static int[] channel(RgbImage image, int c) {
        int[] out = new int[image.width()];
        for (int x = 0; x < out.length; x++) {
            out[x] = image.sample(x, 0, c);
        }
        return out;
    }
}
