package io.github.llavao1.engine.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Flattens whatever ImageIO decoded into 8-bit RGB the way transformers' {@code convert_to_rgb} does with PIL:
 * palette entries are looked up, grey is copied to all three channels, and transparency is composited onto
 * white as {@code round(c·a + 255·(1 − a))} with {@code a = alpha / 255}.
 *
 * <p>Samples are read from the raster, never through {@link ColorModel#getRGB}: Java treats its grey colour
 * space as linear and would brighten grey images, whereas PIL hands the stored values through unchanged (it
 * ignores ICC profiles too). Samples wider than 8 bits keep their high byte, as PIL does for 16-bit colour PNGs;
 * narrower ones are scaled to 0..255.
 *
 * <p>Other colour spaces (CMYK from a TIFF, Lab…) are first converted to sRGB through the image's colour space, its
 * ICC profile when the reader found one. (TwelveMonkeys' JPEG reader already returns CMYK and YCCK JPEGs as RGB,
 * converted through their embedded profile.)
 */
final class RgbConversion {

    private RgbConversion() {
    }

    /** {@code image} as RGB; throws IllegalArgumentException for a raster its colour model does not describe. */
    static RgbImage toRgb(BufferedImage image) {
        if (image.getColorModel().isAlphaPremultiplied()) {
            image.coerceData(false);
        }
        ColorModel model = image.getColorModel();
        if (!(model instanceof IndexColorModel) && !greyOrRgb(model)) {
            return toRgb(toSrgb(image));
        }
        if (model instanceof IndexColorModel palette) {
            return fromPalette(image.getRaster(), palette);
        }
        return fromComponents(image.getRaster(), model);
    }

    private static boolean greyOrRgb(ColorModel model) {
        int spaceType = model.getColorSpace().getType();
        int colours = model.getNumColorComponents();
        return spaceType == ColorSpace.TYPE_GRAY && colours == 1 || spaceType == ColorSpace.TYPE_RGB && colours == 3;
    }

    /** {@code image} in 8-bit sRGB, converted through its colour space (alpha kept). */
    private static BufferedImage toSrgb(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(),
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        new ColorConvertOp(null).filter(image, rgb);
        return rgb;
    }

    private static RgbImage fromPalette(Raster raster, IndexColorModel palette) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        byte[] rgb = new byte[width * height * 3];
        int[] indices = new int[width];
        int out = 0;
        for (int y = 0; y < height; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, indices);
            for (int x = 0; x < width; x++) {
                int index = indices[x];
                int alpha = palette.getAlpha(index);
                rgb[out++] = composite(palette.getRed(index), alpha);
                rgb[out++] = composite(palette.getGreen(index), alpha);
                rgb[out++] = composite(palette.getBlue(index), alpha);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static RgbImage fromComponents(Raster raster, ColorModel model) {
        int spaceType = model.getColorSpace().getType();
        int colours = model.getNumColorComponents();
        boolean grey = spaceType == ColorSpace.TYPE_GRAY && colours == 1;
        if (!grey && !(spaceType == ColorSpace.TYPE_RGB && colours == 3)) {
            throw new IllegalArgumentException("unsupported colour space with " + colours + " components (type "
                    + spaceType + "); only greyscale and RGB images are supported");
        }
        if (raster.getNumBands() != model.getNumComponents()) {
            throw new IllegalArgumentException("decoded raster has " + raster.getNumBands()
                    + " bands for a colour model of " + model.getNumComponents() + " components");
        }
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int alphaBand = model.hasAlpha() ? colours : -1;
        int[] bits = model.getComponentSize();

        byte[] rgb = new byte[width * height * 3];
        int[] samples = new int[width * bands];
        int out = 0;
        for (int y = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, samples);
            for (int x = 0, p = 0; x < width; x++, p += bands) {
                int alpha = alphaBand < 0 ? 255 : to8Bits(samples[p + alphaBand], bits[alphaBand]);
                if (grey) {
                    byte v = composite(to8Bits(samples[p], bits[0]), alpha);
                    rgb[out++] = v;
                    rgb[out++] = v;
                    rgb[out++] = v;
                } else {
                    rgb[out++] = composite(to8Bits(samples[p], bits[0]), alpha);
                    rgb[out++] = composite(to8Bits(samples[p + 1], bits[1]), alpha);
                    rgb[out++] = composite(to8Bits(samples[p + 2], bits[2]), alpha);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static int to8Bits(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        int max = (1 << bits) - 1;
        return (sample * 255 + max / 2) / max;
    }

    /**
     * {@code round(c·a/255 + 255·(1 − a/255))} in integers: the exact value is never halfway between two
     * integers (that would need 2·n = 255·odd), so adding 127 before the division rounds it correctly.
     */
    static byte composite(int colour, int alpha) {
        if (alpha == 255) {
            return (byte) colour;
        }
        return (byte) ((colour * alpha + 255 * (255 - alpha) + 127) / 255);
    }
}
