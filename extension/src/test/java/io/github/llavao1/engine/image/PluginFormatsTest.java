package io.github.llavao1.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The formats the TwelveMonkeys plugins bring: WebP (lossless and lossy), YCCK/CMYK JPEG (with and without an
 * embedded ICC profile, which is honoured), TIFF (RGB and CMYK), each decoded to the picture it holds, and a
 * decompression bomb in each refused from its header. The files under
 * {@code images/} were made with ImageMagick 6.9 and libwebp 1.2 from one 24×16 picture: the left half
 * rgb(0, 160, 220), the right half red rgb(230, 20, 40) above white.
 */
class PluginFormatsTest {

    private static final int[] BLUE = {0, 160, 220};
    private static final int[] RED = {230, 20, 40};
    private static final int[] WHITE = {255, 255, 255};

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesLosslessWebpExactly() {
        RgbImage image = decoder.decode(Fixtures.resource("images/lossless.webp"));
        assertPicture(image, 0);
    }

    @Test
    void decodesLossyWebpWithinCompressionError() {
        assertPicture(decoder.decode(Fixtures.resource("images/lossy.webp")), 24);
    }

    @Test
    void decodesYcckJpegAsRgb() throws IOException {
        byte[] jpeg = Files.readAllBytes(Fixtures.resource("images/ycck.jpg"));
        // the Adobe segment says transform 2: the four channels are YCCK, which the JDK's own reader refuses
        assertEquals(2, jpeg[17], "ycck.jpg's Adobe transform flag");
        // ImageMagick wrote naive CMYK (no profile); read back without one it is within a few levels of the picture
        assertPicture(decoder.decode(jpeg, "ycck.jpg"), 40);
    }

    @Test
    void convertsYcckJpegThroughItsEmbeddedIccProfile() throws IOException {
        byte[] jpeg = Files.readAllBytes(Fixtures.resource("images/ycck.jpg"));
        // the same file with an ICC profile in which no ink is black and cyan ink is red (SwappedCmykProfile)
        byte[] profile = SwappedCmykProfile.bytes();
        ByteBuffer app2 = ByteBuffer.allocate(4 + 14 + profile.length);
        app2.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + 14 + profile.length));
        app2.put("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1).put(profile);
        byte[] withProfile = new byte[jpeg.length + app2.capacity()];
        System.arraycopy(jpeg, 0, withProfile, 0, 2);
        System.arraycopy(app2.array(), 0, withProfile, 2, app2.capacity());
        System.arraycopy(jpeg, 2, withProfile, 2 + app2.capacity(), jpeg.length - 2);

        RgbImage image = decoder.decode(withProfile, "ycck-icc.jpg");
        // paper white, no ink: black through this profile (white without it, decodesYcckJpegAsRgb)
        assertColour(image, 19, 12, new int[]{0, 0, 0}, 24);
        // rgb(0, 160, 220) was printed as full cyan, some magenta and black: red dominates through this profile
        int[] blue = {image.sample(3, 4, 0), image.sample(3, 4, 1), image.sample(3, 4, 2)};
        assertTrue(blue[0] > 150 && blue[0] > blue[1] + 60 && blue[0] > blue[2] + 60,
                () -> "the cyan area through the swapped profile is " + java.util.Arrays.toString(blue));
    }

    @Test
    void decodesRgbTiffExactly() throws IOException {
        BufferedImage picture = new BufferedImage(24, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                int[] c = x < 12 ? BLUE : y < 8 ? RED : WHITE;
                picture.setRGB(x, y, c[0] << 16 | c[1] << 8 | c[2]);
            }
        }
        byte[] tiff = ImageDecoderTest.encode(picture, "tiff");
        assertPicture(decoder.decode(tiff, "scan.tiff"), 0);
    }

    @Test
    void decodesCmykTiffThroughItsColourSpace() {
        assertPicture(decoder.decode(Fixtures.resource("images/cmyk.tiff")), 40);
    }

    @Test
    void refusesWebpBombFromItsHeader() {
        // a VP8X header for a 16384 × 16384 canvas (268 million pixels), and nothing else
        ByteBuffer vp8x = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
        put24(vp8x, 16384 - 1);
        put24(vp8x, 16384 - 1);
        assertBomb(vp8x.array(), "bomb.webp", "16384×16384 = 268435456");
    }

    @Test
    void refusesJpegBombFromItsHeader() throws IOException {
        byte[] jpeg = Files.readAllBytes(Fixtures.resource("images/ycck.jpg"));
        // the frame header (SOF) of the same file, claiming 60000 × 60000
        int sof = indexOfMarker(jpeg, 0xC0, 0xC1, 0xC2);
        ByteBuffer.wrap(jpeg, sof + 5, 4).putShort((short) 60000).putShort((short) 60000);
        assertBomb(jpeg, "bomb.jpg", "60000×60000 = 3600000000");
    }

    @Test
    void refusesTiffBombFromItsHeader() {
        assertBomb(tiffHeaderOnly(100_000, 100_000), "bomb.tiff", "100000×100000 = 10000000000");
    }

    private void assertBomb(byte[] bomb, String name, String size) {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(bomb, name));
        assertEquals(name + ": image is " + size + " pixels, over the limit of 50000000 pixels", e.getMessage());
    }

    private static void assertPicture(RgbImage image, int tolerance) {
        assertEquals(24, image.width());
        assertEquals(16, image.height());
        // pixels away from the edges between colours, where lossy codecs blur
        assertColour(image, 3, 4, BLUE, tolerance);
        assertColour(image, 5, 12, BLUE, tolerance);
        assertColour(image, 19, 3, RED, tolerance);
        assertColour(image, 19, 12, WHITE, tolerance);
    }

    private static void assertColour(RgbImage image, int x, int y, int[] expected, int tolerance) {
        int[] actual = {image.sample(x, y, 0), image.sample(x, y, 1), image.sample(x, y, 2)};
        for (int c = 0; c < 3; c++) {
            int channel = c;
            assertTrue(Math.abs(actual[c] - expected[c]) <= tolerance, () -> "pixel (" + x + ", " + y + ") is "
                    + java.util.Arrays.toString(actual) + ", expected " + java.util.Arrays.toString(expected)
                    + " within " + tolerance + " (channel " + channel + ")");
        }
    }

    private static void put24(ByteBuffer buffer, int value) {
        buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }

    private static int indexOfMarker(byte[] jpeg, int... markers) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF) {
                for (int marker : markers) {
                    if ((jpeg[i + 1] & 0xFF) == marker) {
                        return i;
                    }
                }
            }
        }
        throw new IllegalStateException("no frame header");
    }

    /** A little-endian TIFF whose one IFD describes a deflated 8-bit grey image of the given size, with 8 bytes of data. */
    private static byte[] tiffHeaderOnly(int width, int height) {
        short[][] entries = {
                // tag, type (3 SHORT, 4 LONG); values follow
                {256, 4}, {257, 4}, {258, 3}, {259, 3}, {262, 3}, {273, 4}, {277, 3}, {278, 4}, {279, 4}};
        long[] values = {width, height, 8, 8, 1, 0 /* strip offset, set below */, 1, height, 8};
        int ifdOffset = 8;
        int dataOffset = ifdOffset + 2 + entries.length * 12 + 4;
        values[5] = dataOffset;
        ByteBuffer tiff = ByteBuffer.allocate(dataOffset + 8).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifdOffset);
        tiff.putShort((short) entries.length);
        for (int i = 0; i < entries.length; i++) {
            tiff.putShort(entries[i][0]).putShort(entries[i][1]).putInt(1);
            if (entries[i][1] == 3) {
                tiff.putShort((short) values[i]).putShort((short) 0);
            } else {
                tiff.putInt((int) values[i]);
            }
        }
        tiff.putInt(0);
        return tiff.array();
    }
}
