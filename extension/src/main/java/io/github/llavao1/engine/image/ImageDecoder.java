package io.github.llavao1.engine.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG (CMYK and YCCK ones too), GIF (first frame), BMP, WebP and TIFF (first page; BigTIFF too) bytes
 * into 8-bit RGB with {@code javax.imageio}, the step transformers leaves to {@code PIL.Image.open(...)} and
 * {@code convert_to_rgb} (see {@link RgbConversion} for grey, palette, 16-bit, CMYK and alpha handling). JPEG, WebP
 * and TIFF are read by the TwelveMonkeys plugins, registered here whatever class loader found ImageIO first; a CMYK
 * or YCCK JPEG is converted to RGB through its embedded ICC profile when it has one. Untrusted input is bounded twice: the encoded size before anything
 * is parsed, and the pixel count from the image header before any pixel memory is allocated, so a decompression
 * bomb is rejected cheaply. Every failure is an {@link InvalidImageException} naming the source and the problem.
 *
 * <p>An image far larger than the model needs can be decoded with source subsampling (every s-th pixel of every
 * s-th row, {@link ImageReadParam#setSourceSubsampling}), so that its full-resolution pixels are never held in
 * memory: the caller says by how much for a given size ({@link ImageProcessor#subsampling(int, int)} for the tiles).
 * A factor of 1 decodes exactly as without it. Thread-safe.
 */
public final class ImageDecoder {

    public static final long DEFAULT_MAX_ENCODED_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** The decoded RGB array must fit one Java array. */
    public static final long LARGEST_MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    /**
     * ImageIO format names accepted; other installed readers (WBMP, the JDK's own TIFF reader "tif"…) are not
     * offered input. "jpeg", "tiff", "bigtiff" and "webp" are TwelveMonkeys' readers.
     */
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp", "webp", "tiff", "bigtiff");

    /** What the error for an unknown format lists. */
    public static final String SUPPORTED_FORMATS = "PNG, JPEG, GIF, BMP, WebP or TIFF";

    static {
        // ImageIO finds plugins through the context class loader of whoever touched it first (in Quarkus' dev and
        // test modes not necessarily ours); registering the providers by hand makes them present either way, and
        // the TwelveMonkeys JPEG and TIFF providers then order themselves before the JDK's.
        IIORegistry registry = IIORegistry.getDefaultInstance();
        registry.registerServiceProvider(new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi());
        registry.registerServiceProvider(new com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi());
        registry.registerServiceProvider(new com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageReaderSpi());
        registry.registerServiceProvider(new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi());
    }

    private final long maxEncodedBytes;
    private final long maxPixels;

    /** A decoder with the default limits: 20 MiB encoded, 50 million pixels. */
    public ImageDecoder() {
        this(DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);
    }

    /**
     * @param maxEncodedBytes largest accepted encoded image, in bytes
     * @param maxPixels       largest accepted {@code width × height}, at most {@link #LARGEST_MAX_PIXELS}
     */
    public ImageDecoder(long maxEncodedBytes, long maxPixels) {
        if (maxEncodedBytes <= 0) {
            throw new IllegalArgumentException("maxEncodedBytes must be positive, got " + maxEncodedBytes);
        }
        if (maxPixels <= 0 || maxPixels > LARGEST_MAX_PIXELS) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + LARGEST_MAX_PIXELS + ", got " + maxPixels);
        }
        this.maxEncodedBytes = maxEncodedBytes;
        this.maxPixels = maxPixels;
    }

    public long maxEncodedBytes() {
        return maxEncodedBytes;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** No subsampling: every image decoded at its full size. */
    public static final IntBinaryOperator FULL_SIZE = (width, height) -> 1;

    /** Reads and decodes {@code file}; its size is checked before it is read. */
    public RgbImage decode(Path file) {
        return decode(file, FULL_SIZE);
    }

    /**
     * Reads and decodes {@code file}, subsampled by the factor {@code subsampling} gives for its width and height.
     */
    public RgbImage decode(Path file, IntBinaryOperator subsampling) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(file + ": image file not found", e);
        } catch (IOException e) {
            throw new InvalidImageException(file + ": cannot read image file: " + e.getMessage(), e);
        }
        checkEncodedSize(file.toString(), size);
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidImageException(file + ": cannot read image file: " + e.getMessage(), e);
        }
        return decode(data, file.toString(), subsampling);
    }

    /**
     * Decodes {@code data}; {@code sourceName} (a file name, URL or label) only appears in error messages.
     */
    public RgbImage decode(byte[] data, String sourceName) {
        return decode(data, sourceName, FULL_SIZE);
    }

    /**
     * Decodes {@code data} subsampled by the factor {@code subsampling} gives for its width and height (read from
     * the header; 1 = full size): the result is {@code ceil(width / s) × ceil(height / s)}.
     */
    public RgbImage decode(byte[] data, String sourceName, IntBinaryOperator subsampling) {
        String source = sourceName == null || sourceName.isBlank() ? "image" : sourceName;
        if (data == null || data.length == 0) {
            throw new InvalidImageException(source + ": empty image data (0 bytes)");
        }
        checkEncodedSize(source, data.length);

        ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(data));
        ImageReader reader = findReader(input, source);
        String format = formatOf(reader);
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        try {
            reader.setInput(input, true, false);
            // the header alone gives the size: reject before the reader allocates the pixels
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkPixels(source, format, width, height);
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            int factor = Math.max(1, subsampling.applyAsInt(width, height));
            if (factor == 1) {
                image = reader.read(0);
            } else {
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(factor, factor, 0, 0);
                image = reader.read(0, param);
            }
            rejectTruncation(source, format, warnings);
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports malformed data as IIOException but also as unchecked exceptions from its parsers
            throw new InvalidImageException(source + ": corrupt or undecodable " + format + " image: " + describe(e), e);
        } finally {
            reader.dispose();
            closeQuietly(input);
        }
        try {
            return RgbConversion.toRgb(image);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(source + ": unsupported " + format + " image: " + e.getMessage(), e);
        }
    }

    private void checkEncodedSize(String source, long size) {
        if (size > maxEncodedBytes) {
            throw new InvalidImageException(source + ": image is " + size + " bytes, over the limit of "
                    + maxEncodedBytes + " bytes");
        }
    }

    private void checkPixels(String source, String format, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException(source + ": " + format + " header gives an empty size " + width + "×" + height);
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new InvalidImageException(source + ": image is " + width + "×" + height + " = " + pixels
                    + " pixels, over the limit of " + maxPixels + " pixels");
        }
    }

    /**
     * PIL refuses a truncated file unless told otherwise; ImageIO's JPEG reader only warns and returns the rows
     * it had, filled grey, which would be a silently wrong input.
     */
    private static void rejectTruncation(String source, String format, List<String> warnings) {
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated")) {
                throw new InvalidImageException(source + ": corrupt or undecodable " + format
                        + " image: truncated (" + warning + ")");
            }
        }
    }

    private static ImageReader findReader(ImageInputStream input, String source) {
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            while (readers.hasNext()) {
                ImageReader reader = readers.next();
                if (FORMATS.contains(formatOf(reader))) {
                    return reader;
                }
                reader.dispose();
            }
        } catch (RuntimeException e) {
            closeQuietly(input);
            throw new InvalidImageException(source + ": cannot inspect image data: " + describe(e), e);
        }
        closeQuietly(input);
        throw new InvalidImageException(source + ": not a supported image format (" + SUPPORTED_FORMATS + " expected)");
    }

    private static String formatOf(ImageReader reader) {
        try {
            return reader.getFormatName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(ImageInputStream input) {
        try {
            input.close();
        } catch (IOException ignored) {
            // a memory-backed stream has nothing left to release
        }
    }
}
