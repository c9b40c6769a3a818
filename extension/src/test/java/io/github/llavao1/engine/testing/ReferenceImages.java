package io.github.llavao1.engine.testing;

import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.Session;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.image.ProcessedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The reference processor's output for a fixture case, as {@link ProcessedImage}s (one per image). */
public final class ReferenceImages {

    private ReferenceImages() {
    }

    /**
     * The largest difference between {@code engine}'s prompt logits for fixture case {@code caseName} (fed the
     * reference's own pixel values) and transformers' logits.
     */
    public static float promptLogitsDiff(LlavaEngine engine, SafetensorsFile reference, String caseName) {
        int[] ids = Fixtures.ints(Fixtures.referenceCase(caseName).get("input_ids"));
        List<ProcessedImage> images = caseName.equals("text") ? List.of() : of(reference, caseName);
        try (Session session = engine.newSession(images)) {
            return Fixtures.maxAbsDiff(session.promptLogits(ids), reference.readFloats(caseName + ".logits"));
        }
    }

    public static List<ProcessedImage> of(SafetensorsFile reference, String caseName) {
        float[] pixels = reference.readFloats(caseName + ".slow.pixel_values");
        long[] ids = reference.readLongs(caseName + ".slow.aspect_ratio_ids");
        long[] masks = reference.readLongs(caseName + ".slow.aspect_ratio_mask");
        int images = ids.length;
        int maxTiles = masks.length / images;
        int perImage = pixels.length / images;
        int[] numTiles = Fixtures.ints(Fixtures.referenceCase(caseName).get("slow.num_tiles"));
        List<ProcessedImage> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            int[] mask = new int[maxTiles];
            for (int t = 0; t < maxTiles; t++) {
                mask[t] = (int) masks[i * maxTiles + t];
            }
            int[] grid = grid((int) ids[i]);
            out.add(new ProcessedImage(Arrays.copyOfRange(pixels, i * perImage, (i + 1) * perImage), numTiles[i], grid[0], grid[1],
                    (int) ids[i], mask));
        }
        return out;
    }

    /** Tile grid [rows, cols] of an aspect-ratio id of the tiny fixture config (ids are 1-based). */
    private static int[] grid(int aspectRatioId) {
        int[][] ratios = {{1, 1}, {1, 2}, {1, 3}, {1, 4}, {2, 1}, {2, 2}, {3, 1}, {4, 1}};
        return ratios[aspectRatioId - 1];
    }
}
