package io.github.llavao1.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.testing.Fixtures;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesFixturePngFromPath() {
        RgbImage image = decoder.decode(Fixtures.tinyCheckpoint().resolve("square.png"));
        assertEquals(80, image.width());
        assertEquals(72, image.height());
        assertEquals(80 * 72 * 3, image.rgb().length);
    }

    @Test
    void compositesAlphaOnWhiteWithRounding() throws IOException {
        BufferedImage argb = new BufferedImage(4, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, argb(128, 200, 10, 0));
        argb.setRGB(1, 0, argb(0, 12, 34, 56));
        argb.setRGB(2, 0, argb(255, 12, 34, 56));
        argb.setRGB(3, 0, argb(1, 0, 0, 0));
        RgbImage image = decoder.decode(encode(argb, "png"), "rgba test");

        // round(c·a/255 + 255·(1 − a/255)): 200 at a=128 → 227.39 → 227; 10 → 132.02 → 132; 0 → 127.0 → 127
        assertPixel(image, 0, 227, 132, 127);
        assertPixel(image, 1, 255, 255, 255);
        assertPixel(image, 2, 12, 34, 56);
        assertPixel(image, 3, 254, 254, 254);
    }

    @Test
    void keepsGreyValuesUnchanged() throws IOException {
        // Java's grey colour space is linear; converting through it would brighten 100 to about 170
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 2, 0, new int[]{0, 100, 255, 1, 128, 254});
        RgbImage image = decoder.decode(encode(grey, "png"), "grey test");

        int[] expected = {0, 100, 255, 1, 128, 254};
        for (int i = 0; i < expected.length; i++) {
            assertPixel(image, i, expected[i], expected[i], expected[i]);
        }
    }

    @Test
    void compositesGreyWithAlpha() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[]{100, 128, 100, 255});
        RgbImage image = decoder.decode(encode(new BufferedImage(model, raster, false, null), "png"), "grey+alpha");

        // 100·128/255 + 255·127/255 = 177.2 → 177
        assertPixel(image, 0, 177, 177, 177);
        assertPixel(image, 1, 100, 100, 100);
    }

    @Test
    void keepsHighByteOf16BitSamples() throws IOException {
        BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSamples(0, 0, 2, 1, 0, new int[]{0xABCD, 0x00FF});
        RgbImage grey = decoder.decode(encode(grey16, "png"), "grey16");
        assertPixel(grey, 0, 0xAB, 0xAB, 0xAB);
        assertPixel(grey, 1, 0, 0, 0);

        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[]{0x1234, 0xFEDC, 0x8000});
        RgbImage rgb = decoder.decode(encode(new BufferedImage(model, raster, false, null), "png"), "rgb16");
        assertPixel(rgb, 0, 0x12, 0xFE, 0x80);
    }

    @Test
    void looksUpPaletteEntriesWithTheirTransparency() throws IOException {
        byte[] r = {(byte) 255, 0, 10, 40};
        byte[] g = {0, (byte) 255, 20, 50};
        byte[] b = {0, 0, 30, 60};
        byte[] a = {(byte) 255, (byte) 255, 0, (byte) 128};
        IndexColorModel palette = new IndexColorModel(2, 4, r, g, b, a);
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        indexed.getRaster().setSamples(0, 0, 4, 1, 0, new int[]{0, 1, 2, 3});
        RgbImage image = decoder.decode(encode(indexed, "png"), "palette");

        assertPixel(image, 0, 255, 0, 0);
        assertPixel(image, 1, 0, 255, 0);
        assertPixel(image, 2, 255, 255, 255);
        // 40 → 147.0, 50 → 152.0, 60 → 157.0 at alpha 128
        assertPixel(image, 3, 147, 152, 157);
    }

    @Test
    void decodesJpegWithinCompressionError() throws IOException {
        BufferedImage original = new BufferedImage(40, 24, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                original.setRGB(x, y, 120 << 16 | (60 + x) << 8 | 200);
            }
        }
        RgbImage image = decoder.decode(encode(original, "jpeg"), "photo.jpg");
        assertEquals(40, image.width());
        assertEquals(24, image.height());
        int maxError = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                int rgb = original.getRGB(x, y);
                maxError = Math.max(maxError, Math.abs(image.sample(x, y, 0) - (rgb >> 16 & 0xFF)));
                maxError = Math.max(maxError, Math.abs(image.sample(x, y, 1) - (rgb >> 8 & 0xFF)));
                maxError = Math.max(maxError, Math.abs(image.sample(x, y, 2) - (rgb & 0xFF)));
            }
        }
        assertTrue(maxError <= 8, "JPEG round trip off by " + maxError + " levels");
    }

    @Test
    void decodesBmpExactly() throws IOException {
        BufferedImage original = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        original.setRGB(1, 1, 0xFF0000);
        original.setRGB(4, 2, 0x00FF80);
        RgbImage image = decoder.decode(encode(original, "bmp"), "picture.bmp");
        assertEquals(5, image.width());
        assertEquals(3, image.height());
        assertPixel(image, 5 + 1, 255, 0, 0);
        assertPixel(image, 10 + 4, 0, 255, 128);
        assertPixel(image, 0, 0, 0, 0);
    }

    @Test
    void decodesGifWithItsTransparentIndexAsWhite() throws IOException {
        byte[] r = {0, (byte) 255, 0, 9};
        byte[] g = {0, 0, (byte) 255, 9};
        byte[] b = {0, 0, (byte) 128, 9};
        IndexColorModel palette = new IndexColorModel(8, 4, r, g, b, 3);
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSamples(0, 0, 4, 1, 0, new int[]{0, 1, 2, 3});
        RgbImage image = decoder.decode(encode(indexed, "gif"), "picture.gif");
        assertPixel(image, 0, 0, 0, 0);
        assertPixel(image, 1, 255, 0, 0);
        assertPixel(image, 2, 0, 255, 128);
        assertPixel(image, 3, 255, 255, 255);
    }

    @Test
    void rejectsEmptyData() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(new byte[0], "empty.png"));
        assertEquals("empty.png: empty image data (0 bytes)", e.getMessage());
    }

    @Test
    void rejectsTruncatedPng() throws IOException {
        byte[] png = Files.readAllBytes(Fixtures.tinyCheckpoint().resolve("square.png"));
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(Arrays.copyOf(png, png.length / 2), "cut.png"));
        assertTrue(e.getMessage().startsWith("cut.png: corrupt or undecodable png image"), e.getMessage());
    }

    @Test
    void rejectsTruncatedJpegInsteadOfReturningGreyRows() throws IOException {
        BufferedImage original = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(3);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                original.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        byte[] jpeg = encode(original, "jpeg");
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length * 9 / 10), "cut.jpg"));
        assertTrue(e.getMessage().startsWith("cut.jpg: corrupt or undecodable jpeg image"), e.getMessage());
    }

    @Test
    void rejectsUnknownBytes() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(noise, "noise.bin"));
        assertEquals("noise.bin: not a supported image format (PNG, JPEG, GIF, BMP, WebP or TIFF expected)", e.getMessage());

        byte[] text = "hello, this is not an image".getBytes(StandardCharsets.US_ASCII);
        assertThrows(InvalidImageException.class, () -> decoder.decode(text, "hello.txt"));
    }

    @Test
    void rejectsFormatsOutsideTheAllowList() throws IOException {
        BufferedImage bilevel = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(encode(bilevel, "wbmp"), "picture.wbmp"));
        assertTrue(e.getMessage().contains("not a supported image format"), e.getMessage());
    }

    @Test
    void rejectsDataOverTheByteLimit() throws IOException {
        byte[] png = Files.readAllBytes(Fixtures.tinyCheckpoint().resolve("square.png"));
        ImageDecoder small = new ImageDecoder(100, ImageDecoder.DEFAULT_MAX_PIXELS);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> small.decode(png, "square.png"));
        assertEquals("square.png: image is " + png.length + " bytes, over the limit of 100 bytes", e.getMessage());
    }

    @Test
    void rejectsLargeFileBeforeReadingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.png");
        Files.write(file, new byte[1000]);
        ImageDecoder small = new ImageDecoder(999, ImageDecoder.DEFAULT_MAX_PIXELS);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> small.decode(file));
        assertEquals(file + ": image is 1000 bytes, over the limit of 999 bytes", e.getMessage());

        Path missing = dir.resolve("missing.png");
        e = assertThrows(InvalidImageException.class, () -> decoder.decode(missing));
        assertEquals(missing + ": image file not found", e.getMessage());
    }

    @Test
    void rejectsImagesOverThePixelLimit() {
        ImageDecoder small = new ImageDecoder(ImageDecoder.DEFAULT_MAX_ENCODED_BYTES, 1000);
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> small.decode(Fixtures.tinyCheckpoint().resolve("square.png")));
        assertTrue(e.getMessage().endsWith("square.png: image is 80×72 = 5760 pixels, over the limit of 1000 pixels"),
                e.getMessage());
    }

    @Test
    void rejectsDecompressionBombFromItsHeader() {
        // 100000 × 100000 RGB would need 30 GB; the whole file is a few dozen bytes
        byte[] bomb = pngWithHeaderOnly(100_000, 100_000);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(bomb, "bomb.png"));
        assertEquals("bomb.png: image is 100000×100000 = 10000000000 pixels, over the limit of 50000000 pixels",
                e.getMessage());
    }

    @Test
    void validatesLimits() {
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(10, ImageDecoder.LARGEST_MAX_PIXELS + 1));
    }

    private static void assertPixel(RgbImage image, int index, int r, int g, int b) {
        int x = index % image.width();
        int y = index / image.width();
        assertArrayEquals(new int[]{r, g, b},
                new int[]{image.sample(x, y, 0), image.sample(x, y, 1), image.sample(x, y, 2)},
                "pixel " + index);
    }

    private static int argb(int a, int r, int g, int b) {
        return a << 24 | r << 16 | g << 8 | b;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format + " and " + image);
        }
        return out.toByteArray();
    }

    /** A PNG signature, an IHDR for an 8-bit RGB image of the given size and one tiny IDAT, then IEND. */
    private static byte[] pngWithHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[64]);
        deflater.finish();
        byte[] compressed = new byte[128];
        int length = deflater.deflate(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", Arrays.copyOf(compressed, length));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
