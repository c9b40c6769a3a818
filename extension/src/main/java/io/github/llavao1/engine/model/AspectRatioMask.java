package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Ports prepare_aspect_ratio_attention_mask without materialising it: a position is "invalid" when its tile is
 * padding or it is a padding patch, and only pairs where BOTH query and key are invalid are masked (transformers'
 * outer-product semantics). So a valid query's mask row is all zero, and a block of valid query rows needs no mask at
 * all; the rows of a block that has invalid queries are built on demand ([rows, L] instead of the whole [L, L]).
 *
 * @param invalid per position of the image's vision sequence [L]
 * @param queryFlags [L]: 1 for invalid positions, 0 elsewhere, in the compute dtype
 * @param keyMask [1, L]: the mask value at invalid positions, 0 elsewhere
 */
record AspectRatioMask(boolean[] invalid, NDArray queryFlags, NDArray keyMask) {

    /** Additive mask rows [to - from, L] for query rows [from, to) in {@code manager}, or null when none is masked. */
    NDArray rows(NDManager manager, long from, long to) {
        boolean any = false;
        for (int i = (int) from; i < to && !any; i++) {
            any = invalid[i];
        }
        if (!any) {
            return null;
        }
        NDArray flags = queryFlags.get(manager, new NDIndex("{}:{}", from, to));
        return flags.reshape(to - from, 1).mul(keyMask);
    }
}
