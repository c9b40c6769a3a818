package io.github.llavao1.engine.image;

/**
 * A decoded picture as 8-bit RGB, the form {@code PIL.Image.convert("RGB")} hands to transformers' image
 * processors: {@code rgb} holds {@code width × height} pixels row by row, three interleaved bytes (R, G, B) each.
 * The array is shared, not copied; treat it as read-only.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got width " + width + ", height " + height);
        }
        if (rgb == null) {
            throw new IllegalArgumentException("rgb must not be null");
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, expected width " + width
                    + " × height " + height + " × 3 = " + (long) width * height * 3);
        }
    }

    /** The 0..255 value of {@code channel} (0 = R, 1 = G, 2 = B) at column {@code x}, row {@code y}. */
    public int sample(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }
}
