package io.github.llavao1.engine.image;

/**
 * One image as the Mllama vision encoder takes it: the per-image slice of transformers'
 * {@code MllamaImageProcessor} output ({@code pixel_values}, {@code num_tiles}, {@code aspect_ratio_ids},
 * {@code aspect_ratio_mask}).
 *
 * @param pixelValues     {@code [maxTiles, 3, tileSize, tileSize]} flattened, normalised; tiles at and after
 *                        {@code numTiles} are all zero
 * @param numTiles        real tiles, {@code tileRows × tileCols}
 * @param tileRows        tiles stacked vertically on the canvas
 * @param tileCols        tiles side by side on the canvas
 * @param aspectRatioId   1-based index of {@code [tileRows, tileCols]} in the supported aspect ratios (0 = none)
 * @param aspectRatioMask {@code [maxTiles]}: 1 for real tiles, 0 for padding tiles
 */
public record ProcessedImage(float[] pixelValues, int numTiles, int tileRows, int tileCols, int aspectRatioId,
                             int[] aspectRatioMask) {

    public ProcessedImage {
        if (tileRows <= 0 || tileCols <= 0 || numTiles != tileRows * tileCols) {
            throw new IllegalArgumentException("numTiles " + numTiles + " must equal tileRows " + tileRows
                    + " × tileCols " + tileCols);
        }
        if (aspectRatioMask == null || aspectRatioMask.length < numTiles) {
            throw new IllegalArgumentException("aspectRatioMask must have at least numTiles " + numTiles + " entries");
        }
        if (pixelValues == null || pixelValues.length == 0 || pixelValues.length % (aspectRatioMask.length * 3) != 0) {
            throw new IllegalArgumentException("pixelValues must hold maxTiles " + aspectRatioMask.length
                    + " × 3 channels × tile pixels");
        }
        if (aspectRatioId < 0) {
            throw new IllegalArgumentException("aspectRatioId must be >= 0, got " + aspectRatioId);
        }
    }

    /** Tiles in {@link #pixelValues()}, real and padding: {@code max_image_tiles}. */
    public int maxTiles() {
        return aspectRatioMask.length;
    }

    /** Side of a square tile in pixels. */
    public int tileSize() {
        return (int) Math.round(Math.sqrt(pixelValues.length / (3.0 * maxTiles())));
    }
}
