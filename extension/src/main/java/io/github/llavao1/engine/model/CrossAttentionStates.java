package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Per request: the images' cross-attention keys and values ([1, kvHeads, S, hd]) for every cross-attention layer,
 * computed once from the projected vision output and shared by every sequence, candidate and judge of the request.
 * S = images × maxTiles × patches.
 */
public final class CrossAttentionStates implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> keys;
    private final List<NDArray> values;
    private final int imagePositions;

    CrossAttentionStates(NDManager manager, List<NDArray> keys, List<NDArray> values, int imagePositions) {
        this.manager = manager;
        this.keys = keys;
        this.values = values;
        this.imagePositions = imagePositions;
    }

    /** Per cross-attention layer its keys then its values, in layer order. */
    List<NDArray> keysAndValues() {
        List<NDArray> all = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            all.add(keys.get(i));
            all.add(values.get(i));
        }
        return all;
    }

    NDArray keys(int crossLayer) {
        return keys.get(crossLayer);
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
