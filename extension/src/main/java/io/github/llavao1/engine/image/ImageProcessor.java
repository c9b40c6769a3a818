package io.github.llavao1.engine.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an RGB image into Mllama vision input. Ports transformers' {@code MllamaImageProcessor.preprocess} for
 * one image: pick the tiled canvas, resize (antialiased bilinear on 8-bit values, as torchvision does), pad with
 * zeros bottom/right to the canvas, rescale, normalise per channel, split into tiles row by row and pad to
 * {@code maxImageTiles} with zero tiles. Immutable and thread-safe.
 */
public final class ImageProcessor {

    private final int tileSize;
    private final int maxImageTiles;
    private final List<int[]> supportedAspectRatios;
    private final float[] mean;
    private final float[] std;
    private final double rescaleFactor;

    /**
     * @param tileSize              tile side in pixels ({@code preprocessor_config.json} {@code size.height})
     * @param maxImageTiles         tiles per image ({@code max_image_tiles})
     * @param supportedAspectRatios tile arrangements, each {@code [rows, cols]}, in the order of
     *                              {@code vision_config.supported_aspect_ratios}; the id of an image is its
     *                              arrangement's 1-based position here
     * @param mean                  per-channel mean ({@code image_mean}), three values
     * @param std                   per-channel standard deviation ({@code image_std}), three positive values
     * @param rescaleFactor         multiplier from 8-bit values to [0, 1] ({@code rescale_factor})
     */
    public ImageProcessor(int tileSize, int maxImageTiles, List<int[]> supportedAspectRatios, float[] mean,
                          float[] std, double rescaleFactor) {
        if (tileSize <= 0) {
            throw new IllegalArgumentException("tileSize must be positive, got " + tileSize);
        }
        if (maxImageTiles <= 0) {
            throw new IllegalArgumentException("maxImageTiles must be positive, got " + maxImageTiles);
        }
        this.tileSize = tileSize;
        this.maxImageTiles = maxImageTiles;
        this.supportedAspectRatios = copyRatios(supportedAspectRatios, maxImageTiles);
        this.mean = channelValues("mean", mean, false);
        this.std = channelValues("std", std, true);
        if (!(rescaleFactor > 0) || Double.isInfinite(rescaleFactor)) {
            throw new IllegalArgumentException("rescaleFactor must be positive and finite, got " + rescaleFactor);
        }
        this.rescaleFactor = rescaleFactor;
    }

    /** Preprocesses one image; see the class comment for the steps. */
    public ProcessedImage process(RgbImage image) {
        TileLayout layout = TileLayout.choose(image.width(), image.height(), tileSize, supportedAspectRatios);
        RgbImage resized = AntialiasedBilinearResize.resize(image, layout.resizedWidth(), layout.resizedHeight());
        float[] pixelValues = tiles(resized, layout);

        int numTiles = layout.tileRows() * layout.tileCols();
        int[] mask = new int[maxImageTiles];
        for (int t = 0; t < numTiles; t++) {
            mask[t] = 1;
        }
        return new ProcessedImage(pixelValues, numTiles, layout.tileRows(), layout.tileCols(),
                aspectRatioId(layout), mask);
    }

    /**
     * How much a decoder may subsample a {@code width × height} image before {@link #process}: the largest integer
     * factor that still leaves at least twice the resized size in each dimension (the antialiased resize then
     * averages at least 2 × 2 source pixels per output pixel, as it would at full size), 1 when the image is not
     * that large. Images that need no subsampling are processed exactly as the reference does.
     */
    public int subsampling(int width, int height) {
        if (width <= 0 || height <= 0) {
            return 1;
        }
        TileLayout layout = TileLayout.choose(width, height, tileSize, supportedAspectRatios);
        int factor = Math.min(width / (2 * layout.resizedWidth()), height / (2 * layout.resizedHeight()));
        return Math.max(1, factor);
    }

    /** The canvas, rescaled and normalised, cut into {@code [maxTiles, 3, tile, tile]}; padding tiles stay zero. */
    private float[] tiles(RgbImage image, TileLayout layout) {
        int tilePixels = tileSize * tileSize;
        float[] out = new float[maxImageTiles * 3 * tilePixels];
        float[][] lookup = normalisedLevels();
        for (int row = 0; row < layout.tileRows(); row++) {
            for (int col = 0; col < layout.tileCols(); col++) {
                int tileStart = (row * layout.tileCols() + col) * 3 * tilePixels;
                for (int c = 0; c < 3; c++) {
                    float[] levels = lookup[c];
                    int planeStart = tileStart + c * tilePixels;
                    for (int y = 0; y < tileSize; y++) {
                        int sourceY = row * tileSize + y;
                        int outRow = planeStart + y * tileSize;
                        for (int x = 0; x < tileSize; x++) {
                            int sourceX = col * tileSize + x;
                            // the canvas beyond the resized image is raw 0, padded before normalisation
                            boolean inside = sourceX < image.width() && sourceY < image.height();
                            out[outRow + x] = levels[inside ? image.sample(sourceX, sourceY, c) : 0];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Every 8-bit level of every channel after rescale and normalise, in float32 the way transformers' torchvision
     * path does it: rescale is folded into the statistics ({@code mean / rescale}, {@code std / rescale}, the
     * factor narrowed to float32 as torch does for a scalar operand), then {@code (v - mean') / std'}. This order
     * reproduces the reference bit-exactly; rescaling first differs by one float32 ulp.
     */
    private float[][] normalisedLevels() {
        float inverseRescale = (float) (1.0 / rescaleFactor);
        float[][] levels = new float[3][256];
        for (int c = 0; c < 3; c++) {
            float scaledMean = mean[c] * inverseRescale;
            float scaledStd = std[c] * inverseRescale;
            for (int v = 0; v < 256; v++) {
                levels[c][v] = (v - scaledMean) / scaledStd;
            }
        }
        return levels;
    }

    private int aspectRatioId(TileLayout layout) {
        for (int i = 0; i < supportedAspectRatios.size(); i++) {
            int[] ratio = supportedAspectRatios.get(i);
            if (ratio[0] == layout.tileRows() && ratio[1] == layout.tileCols()) {
                return i + 1;
            }
        }
        throw new IllegalStateException("chosen arrangement is not a supported aspect ratio");
    }

    private static List<int[]> copyRatios(List<int[]> ratios, int maxImageTiles) {
        if (ratios == null || ratios.isEmpty()) {
            throw new IllegalArgumentException("supportedAspectRatios must not be empty");
        }
        List<int[]> copy = new ArrayList<>(ratios.size());
        for (int i = 0; i < ratios.size(); i++) {
            int[] ratio = ratios.get(i);
            if (ratio == null || ratio.length != 2 || ratio[0] <= 0 || ratio[1] <= 0) {
                throw new IllegalArgumentException("supportedAspectRatios[" + i + "] must be [rows, cols] with"
                        + " positive values");
            }
            if (ratio[0] * ratio[1] > maxImageTiles) {
                throw new IllegalArgumentException("supportedAspectRatios[" + i + "] = [" + ratio[0] + ", "
                        + ratio[1] + "] needs more than maxImageTiles " + maxImageTiles + " tiles");
            }
            copy.add(ratio.clone());
        }
        return List.copyOf(copy);
    }

    private static float[] channelValues(String name, float[] values, boolean positive) {
        if (values == null || values.length != 3) {
            throw new IllegalArgumentException(name + " must have 3 values (R, G, B)");
        }
        for (float v : values) {
            if (!Float.isFinite(v) || (positive && v <= 0)) {
                throw new IllegalArgumentException(name + " values must be finite" + (positive ? " and positive" : "")
                        + ", got " + v);
            }
        }
        return values.clone();
    }
}
