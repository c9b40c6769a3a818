package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Per request: the images' cross-attention keys and values ([1, kvHeads, S, hd]) for every cross-attention layer,
 * computed once from the projected vision output and shared by every sequence, candidate and judge of the request.
 * S = images × maxTiles × patches.
 */
final class CrossAttentionStates implements AutoCloseable {

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

    /**
     * Several images' states side by side, image-major as {@link MllamaModel#encodeImages} lays them out, in a new
     * manager under {@code parent}; the parts stay alive.
     */
    static CrossAttentionStates concat(NDManager parent, List<CrossAttentionStates> parts) {
        NDManager owner = parent.newSubManager();
        List<NDArray> keys = new ArrayList<>();
        List<NDArray> values = new ArrayList<>();
        int positions = 0;
        for (CrossAttentionStates part : parts) {
            positions += part.imagePositions;
        }
        for (int layer = 0; layer < parts.get(0).keys.size(); layer++) {
            NDList layerKeys = new NDList();
            NDList layerValues = new NDList();
            for (CrossAttentionStates part : parts) {
                layerKeys.add(part.keys.get(layer));
                layerValues.add(part.values.get(layer));
            }
            // both [1, kvHeads, S, hd]: image positions are axis 2
            NDArray k = NDArrays.concat(layerKeys, 2);
            NDArray v = NDArrays.concat(layerValues, 2);
            k.attach(owner);
            v.attach(owner);
            keys.add(k);
            values.add(v);
        }
        return new CrossAttentionStates(owner, keys, values, positions);
    }

    /** Native arrays held: every layer's keys and values. */
    public int nativeArrays() {
        return keys.size() + values.size();
    }

    /** Native memory held: every layer's keys and values. */
    public long bytes() {
        long bytes = 0;
        for (int layer = 0; layer < keys.size(); layer++) {
            bytes += keys.get(layer).size() * keys.get(layer).getDataType().getNumOfBytes();
            bytes += values.get(layer).size() * values.get(layer).getDataType().getNumOfBytes();
        }
        return bytes;
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
