package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Per request: the images' cross-attention keys (transposed, [kvHeads, hd, S]) and values ([kvHeads, S, hd]) for
 * every cross-attention layer, computed once from the projected vision output and
 * shared by every sequence, candidate and judge of the request. S = images × maxTiles × patches.
 */
public final class CrossAttentionStates implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> keysTransposed;
    private final List<NDArray> values;
    private final int imagePositions;

    CrossAttentionStates(NDManager manager, List<NDArray> keysTransposed, List<NDArray> values, int imagePositions) {
        this.manager = manager;
        this.keysTransposed = keysTransposed;
        this.values = values;
        this.imagePositions = imagePositions;
    }

    NDArray keysTransposed(int crossLayer) {
        return keysTransposed.get(crossLayer);
    }

    NDArray values(int crossLayer) {
        return values.get(crossLayer);
    }

    /** S, the number of image positions a token can attend. */
    public int imagePositions() {
        return imagePositions;
    }

    @Override
    public void close() {
        manager.close();
    }
}
