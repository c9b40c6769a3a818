package io.github.llavao1.engine.image;

import java.util.List;

/**
 * Where an image goes on the tiled canvas. Ports transformers' {@code get_optimal_tiled_canvas} (which tile
 * arrangement) and {@code get_image_size_fit_to_canvas} (the size the image is resized to before it is padded
 * bottom/right to the canvas) from {@code models/mllama/image_processing_mllama.py}.
 *
 * @param tileRows      tiles stacked vertically; the canvas is {@code tileRows × tileSize} pixels high
 * @param tileCols      tiles side by side; the canvas is {@code tileCols × tileSize} pixels wide
 * @param resizedWidth  width of the resized image, at most the canvas width
 * @param resizedHeight height of the resized image, at most the canvas height
 */
record TileLayout(int tileRows, int tileCols, int resizedWidth, int resizedHeight) {

    /**
     * Picks the canvas and the resized size for an image of {@code width × height}. Among the arrangements
     * ({@code [rows, cols]}), the canvas is the one needing the smallest upscale (scale ≥ 1, limited by the
     * tighter side), or failing that the least downscale; ties go to the smallest canvas area, then to the
     * earlier arrangement, as numpy's argmin does.
     */
    static TileLayout choose(int width, int height, int tileSize, List<int[]> arrangements) {
        double bestUpscale = Double.POSITIVE_INFINITY;
        double bestDownscale = Double.NEGATIVE_INFINITY;
        double[] scales = new double[arrangements.size()];
        for (int i = 0; i < scales.length; i++) {
            int[] arrangement = arrangements.get(i);
            double scaleH = (double) (arrangement[0] * tileSize) / height;
            double scaleW = (double) (arrangement[1] * tileSize) / width;
            scales[i] = Math.min(scaleH, scaleW);
            if (scales[i] >= 1) {
                bestUpscale = Math.min(bestUpscale, scales[i]);
            } else {
                bestDownscale = Math.max(bestDownscale, scales[i]);
            }
        }
        double selected = bestUpscale != Double.POSITIVE_INFINITY ? bestUpscale : bestDownscale;

        int[] canvas = null;
        for (int i = 0; i < scales.length; i++) {
            int[] arrangement = arrangements.get(i);
            if (scales[i] == selected && (canvas == null || area(arrangement) < area(canvas))) {
                canvas = arrangement;
            }
        }
        int canvasHeight = canvas[0] * tileSize;
        int canvasWidth = canvas[1] * tileSize;

        // fit to canvas: each side is first clipped to [tile, canvas]; the side that needs the smaller scale
        // sets it and the other side follows (floored, never past its own target)
        int targetWidth = clip(width, tileSize, canvasWidth);
        int targetHeight = clip(height, tileSize, canvasHeight);
        double scaleH = (double) targetHeight / height;
        double scaleW = (double) targetWidth / width;
        int newWidth;
        int newHeight;
        if (scaleW < scaleH) {
            newWidth = targetWidth;
            newHeight = Math.min((int) Math.floor(height * scaleW), targetHeight);
        } else {
            newHeight = targetHeight;
            newWidth = Math.min((int) Math.floor(width * scaleH), targetWidth);
        }
        // transformers would ask torch for a 0-pixel side here (aspect ratio beyond canvas × tile) and fail;
        // keep one pixel row/column instead
        return new TileLayout(canvas[0], canvas[1], Math.max(newWidth, 1), Math.max(newHeight, 1));
    }

    int canvasWidth(int tileSize) {
        return tileCols * tileSize;
    }

    int canvasHeight(int tileSize) {
        return tileRows * tileSize;
    }

    private static int area(int[] arrangement) {
        return arrangement[0] * arrangement[1];
    }

    private static int clip(int value, int low, int high) {
        return Math.max(low, Math.min(value, high));
    }
}
