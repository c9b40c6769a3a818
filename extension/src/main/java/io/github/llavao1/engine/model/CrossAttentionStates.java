package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
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
        for (int layer = 0; layer < parts.get(0).keysTransposed.size(); layer++) {
            NDList layerKeys = new NDList();
            NDList layerValues = new NDList();
            for (CrossAttentionStates part : parts) {
                layerKeys.add(part.keysTransposed.get(layer));
                layerValues.add(part.values.get(layer));
            }
            NDArray k = NDArrays.concat(layerKeys, 2);
            NDArray v = NDArrays.concat(layerValues, 1);
            k.attach(owner);
            v.attach(owner);
            keys.add(k);
            values.add(v);
        }
        return new CrossAttentionStates(owner, keys, values, positions);
    }

    /** Native arrays held: every layer's keys and values. */
    public int nativeArrays() {
        return keysTransposed.size() + values.size();
    }

    /** Native memory held: every layer's keys and values. */
    public long bytes() {
        long bytes = 0;
        for (int layer = 0; layer < keysTransposed.size(); layer++) {
            bytes += keysTransposed.get(layer).size() * keysTransposed.get(layer).getDataType().getNumOfBytes();
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
