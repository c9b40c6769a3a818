package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.config.TextConfig;
import java.nio.FloatBuffer;

/**
 * Ports MllamaRotaryEmbedding with apply_rotary_pos_emb (rotate_half form): cos and sin tables for every position
 * are precomputed once on the device, in float32 frequency math like transformers, then cast to the compute dtype.
 * The sin table carries rotate_half's sign ([-sin, sin]) so applying it is swap-halves, two multiplies and an add.
 * Tables grow (doubling) when a sequence passes their length.
 */
final class RotaryEmbedding {

    private static final int INITIAL_POSITIONS = 4096;

    private final ComputeContext context;
    private final float[] inverseFrequencies;
    private final int headDim;
    private final int maxPositions;
    private volatile Tables tables;

    private record Tables(NDArray cos, NDArray signedSin, int positions) {
    }

    RotaryEmbedding(TextConfig config, ComputeContext context) {
        this.context = context;
        this.headDim = config.headDim();
        this.inverseFrequencies = config.rope().inverseFrequencies(headDim);
        this.maxPositions = config.maxPositionEmbeddings();
        this.tables = build(Math.min(INITIAL_POSITIONS, maxPositions));
    }

    /** cos and signed sin for positions start..start+T-1, shaped [T, 1, hd]: computed once per forward pass. */
    record Angles(NDArray cos, NDArray sin) {
    }

    Angles angles(NDManager step, int start, int length) {
        Tables t = tablesFor(start + length);
        NDIndex rows = new NDIndex("{}:{}", start, start + length);
        return new Angles(t.cos.get(step, rows).reshape(length, 1, headDim), t.signedSin.get(step, rows).reshape(length, 1, headDim));
    }

    /** Rotates heads [B, T, N, hd] by precomputed angles → [B, T, N, hd]. */
    NDArray apply(NDArray heads, Angles angles) {
        int half = headDim / 2;
        NDArray swapped = heads.get(new NDIndex("..., {}:", half)).concat(heads.get(new NDIndex("..., :{}", half)), -1);
        return heads.mul(angles.cos()).add(swapped.mul(angles.sin()));
    }

    /** Refuses a sequence longer than max_position_embeddings. */
    void checkPositions(int positions) {
        if (positions > maxPositions) {
            throw new IllegalArgumentException("sequence of " + positions + " tokens exceeds max_position_embeddings " + maxPositions);
        }
    }

    private Tables tablesFor(int positions) {
        Tables t = tables;
        if (positions <= t.positions) {
            return t;
        }
        checkPositions(positions);
        synchronized (this) {
            if (positions > tables.positions) {
                // the old tables stay alive: other threads may still be reading them; they are small next to weights
                tables = build(Math.min(maxPositions, Math.max(positions, tables.positions * 2)));
            }
            return tables;
        }
    }

    private Tables build(int positions) {
        int half = headDim / 2;
        float[] cos = new float[positions * headDim];
        float[] sin = new float[positions * headDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = inverseFrequencies[i] * (float) p;
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * headDim + i] = c;
                cos[p * headDim + half + i] = c;
                sin[p * headDim + i] = -s;
                sin[p * headDim + half + i] = s;
            }
        }
        NDManager manager = context.manager();
        NDArray cosArray = manager.create(FloatBuffer.wrap(cos), new Shape(positions, headDim)).toType(context.dtype(), false);
        NDArray sinArray = manager.create(FloatBuffer.wrap(sin), new Shape(positions, headDim)).toType(context.dtype(), false);
        return new Tables(cosArray, sinArray, positions);
    }
}
