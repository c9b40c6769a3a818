package io.github.llavao1.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Large images are decoded only as finely as the tiles need; images that need no subsampling are untouched. */
class ImageSubsamplingTest {

    /** The tiny checkpoint's preprocessing: 56-pixel tiles, up to 4 of them. */
    private final ImageProcessor processor = new ImageProcessor(56, 4,
            List.of(new int[] {1, 1}, new int[] {1, 2}, new int[] {1, 3}, new int[] {1, 4}, new int[] {2, 1},
                    new int[] {2, 2}, new int[] {3, 1}, new int[] {4, 1}),
            new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f},
            1 / 255.0);
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void factorLeavesTwiceTheResizedSize() {
        // 1200×900 goes onto the 2×2 canvas, resized to 112×84: every 5th pixel still leaves 240×180
        assertEquals(5, processor.subsampling(1200, 900));
        assertEquals(1, processor.subsampling(112, 84), "already the resized size");
        assertEquals(1, processor.subsampling(223, 167), "under twice the resized size");
        assertEquals(1, processor.subsampling(80, 72), "smaller than the canvas: upscaled, never subsampled");
    }

    @Test
    void imagesThatNeedNoSubsamplingDecodeExactlyAsBefore() throws IOException {
        for (String name : List.of("square.png", "wide.png", "tall.png", "rgba.png")) {
            byte[] png = Files.readAllBytes(Fixtures.tinyCheckpoint().resolve(name));
            RgbImage full = decoder.decode(png, name);
            RgbImage hinted = decoder.decode(png, name, processor::subsampling);
            assertEquals(full.width(), hinted.width(), name);
            assertEquals(full.height(), hinted.height(), name);
            assertArrayEquals(full.rgb(), hinted.rgb(), name);
        }
    }

    @Test
    void aLargeImageIsDecodedSubsampledAndProcessesAlmostAsAtFullSize() throws IOException {
        byte[] png = encode(gradient(1200, 900), "png");
        RgbImage full = decoder.decode(png, "large");
        RgbImage small = decoder.decode(png, "large", processor::subsampling);
        assertEquals(240, small.width());
        assertEquals(180, small.height());

        ProcessedImage a = processor.process(full);
        ProcessedImage b = processor.process(small);
        assertEquals(a.numTiles(), b.numTiles());
        assertEquals(a.aspectRatioId(), b.aspectRatioId());
        float[] x = a.pixelValues();
        float[] y = b.pixelValues();
        assertEquals(x.length, y.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        // a smooth image: within 0.1 normalised (about 7 of 255 levels) everywhere
        assertTrue(worst < 0.1, "largest difference " + worst);
    }

    @Test
    void jpegIsSubsampledToo() throws IOException {
        RgbImage small = decoder.decode(encode(gradient(1200, 900), "jpeg"), "large jpeg", processor::subsampling);
        assertEquals(240, small.width());
        assertEquals(180, small.height());
    }

    private static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = x * 255 / width;
                int g = y * 255 / height;
                int b = (x + y) * 255 / (width + height);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }
}
