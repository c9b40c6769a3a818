package io.github.llavao1.engine.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which prompt tokens attend to which image tiles in the cross-attention layers. Ports transformers'
 * {@code processing_mllama.get_cross_attention_token_mask} and {@code convert_sparse_cross_attention_mask_to_dense}
 * for one sequence, as {@code MllamaProcessor} builds {@code cross_attention_mask}.
 *
 * <p>Each {@code <|image|>} token opens a span that runs until the next image token; the last image's span runs to
 * the end of the sequence, and a group of consecutive image tokens ({@code <|image|><|image|>question}) all take
 * the span of the group's last member, so every image of the group is seen by the whole text after it. Tokens
 * before the first image attend to no image.
 */
public final class CrossAttentionMask {

    private CrossAttentionMask() {
    }

    /**
     * Per image token, in order, {@code [start, endExclusive]} token positions that attend to that image.
     * (transformers writes -1 for "to the end" when there is only one image; that is resolved to
     * {@code ids.length} here.)
     */
    public static List<int[]> imageSpans(int[] ids, int imageTokenId) {
        Objects.requireNonNull(ids, "ids");
        List<Integer> locations = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == imageTokenId) {
                locations.add(i);
            }
        }
        List<int[]> spans = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            int end = i + 1 < locations.size() ? locations.get(i + 1) : ids.length;
            spans.add(new int[] {locations.get(i), end});
        }
        // Walking backwards, an image directly followed by another image inherits that one's end, so a run of
        // adjacent image tokens shares the end of its last member.
        int laterEnd = ids.length;
        for (int i = spans.size() - 1; i >= 0; i--) {
            int[] span = spans.get(i);
            if (span[0] == span[1] - 1) {
                span[1] = laterEnd;
            }
            laterEnd = span[1];
        }
        return spans;
    }

    /**
     * The dense mask {@code [L, images, maxTiles]} row-major (int64, as transformers returns it without the batch
     * dimension): 1 where token {@code t} attends to tile {@code k} of image {@code i}, i.e. {@code t} in image
     * {@code i}'s span and {@code k < numTilesPerImage[i]}. Empty when the prompt has no image token.
     *
     * @throws IllegalArgumentException when the number of image tokens differs from {@code numTilesPerImage.length}
     *         (MllamaProcessor refuses that too) or a tile count is outside 1..maxTiles
     */
    public static long[] dense(int[] ids, int imageTokenId, int[] numTilesPerImage, int maxTiles) {
        Objects.requireNonNull(numTilesPerImage, "numTilesPerImage");
        if (maxTiles < 1) {
            throw new IllegalArgumentException("maxTiles must be >= 1, got " + maxTiles);
        }
        List<int[]> spans = imageSpans(ids, imageTokenId);
        int images = spans.size();
        if (numTilesPerImage.length != images) {
            throw new IllegalArgumentException("the prompt has " + images + " image tokens (id " + imageTokenId
                    + ") but numTilesPerImage has " + numTilesPerImage.length + " entries: one image per <|image|>");
        }
        for (int i = 0; i < images; i++) {
            if (numTilesPerImage[i] < 1 || numTilesPerImage[i] > maxTiles) {
                throw new IllegalArgumentException("numTilesPerImage[" + i + "] = " + numTilesPerImage[i]
                        + " is outside 1..maxTiles (" + maxTiles + ")");
            }
        }
        long[] mask = new long[Math.multiplyExact(Math.multiplyExact(ids.length, images), maxTiles)];
        for (int image = 0; image < images; image++) {
            int[] span = spans.get(image);
            for (int token = span[0]; token < span[1]; token++) {
                int row = (token * images + image) * maxTiles;
                for (int tile = 0; tile < numTilesPerImage[image]; tile++) {
                    mask[row + tile] = 1;
                }
            }
        }
        return mask;
    }

    /** The last token's row of a dense mask of {@code tokens} rows: what generated tokens attend (transformers repeats it). */
    public static long[] lastRow(long[] dense, int tokens) {
        int width = dense.length / tokens;
        return Arrays.copyOfRange(dense, (tokens - 1) * width, tokens * width);
    }

    /** A dense mask of {@code times} identical rows. */
    public static long[] repeatRow(long[] row, int times) {
        long[] out = new long[Math.multiplyExact(row.length, times)];
        for (int i = 0; i < times; i++) {
            System.arraycopy(row, 0, out, i * row.length, row.length);
        }
        return out;
    }
}
