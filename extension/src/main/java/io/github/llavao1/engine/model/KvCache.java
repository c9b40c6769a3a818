package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The self-attention key/value cache of one batch of sequences that advance in lockstep: per self-attention layer
 * K and V of shape [B, kvHeads, capacity, headDim], written in place by TextDecoder.py; capacity doubles when full. Owned by one
 * session and used by one thread at a time.
 */
final class KvCache implements AutoCloseable {

    private final ComputeContext context;
    private final NDManager manager;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final List<NDArray> keys = new ArrayList<>();
    private final List<NDArray> values = new ArrayList<>();
    private int batch;
    private int capacity;
    private int length;
    /** The K and V arrays as TorchScript lists, built when first needed and again whenever the arrays change. */
    private IValue scriptKeys;
    private IValue scriptValues;

    KvCache(ComputeContext context, int layers, int kvHeads, int headDim, int batch, int capacity) {
        this.context = context;
        this.manager = context.manager().newSubManager();
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.batch = batch;
        this.capacity = Math.max(1, capacity);
        for (int i = 0; i < layers; i++) {
            keys.add(manager.zeros(shape(this.capacity), context.dtype()));
            values.add(manager.zeros(shape(this.capacity), context.dtype()));
        }
    }

    private Shape shape(int cap) {
        return new Shape(batch, kvHeads, cap, headDim);
    }

    public int length() {
        return length;
    }

    public int batch() {
        return batch;
    }

    /** Makes room for {@code extra} more positions (called once per forward, before any layer writes). */
    void reserve(int extra) {
        int needed = length + extra;
        if (needed <= capacity) {
            return;
        }
        int newCapacity = Math.max(needed, capacity * 2);
        NDIndex filled = new NDIndex(":, :, :{}, :", length);
        for (int i = 0; i < layers; i++) {
            keys.set(i, grow(keys.get(i), newCapacity, filled));
            values.set(i, grow(values.get(i), newCapacity, filled));
        }
        capacity = newCapacity;
        dropScriptLists();
    }

    private NDArray grow(NDArray old, int newCapacity, NDIndex filled) {
        NDArray bigger = manager.zeros(shape(newCapacity), context.dtype());
        if (length > 0) {
            try (NDManager scope = manager.newSubManager()) {
                bigger.set(filled, old.get(scope, filled));
            }
        }
        old.close();
        return bigger;
    }

    /** Marks {@code t} more positions as written (after all layers of a forward pass). */
    void advance(int t) {
        length += t;
    }

    /**
     * A new cache holding {@code copies} copies of row 0 of this one (batch 1), with room for {@code extra} more
     * positions: how several sequences fork from one shared prompt without re-reading it.
     */
    public KvCache fork(int copies, int extra) {
        if (batch != 1) {
            throw new IllegalStateException("only a single-sequence cache can be forked, this one holds " + batch);
        }
        KvCache forked = new KvCache(context, layers, kvHeads, headDim, copies, length + extra);
        NDIndex filled = new NDIndex(":, :, :{}, :", length);
        for (int i = 0; i < layers; i++) {
            try (NDManager scope = manager.newSubManager()) {
                forked.keys.get(i).set(filled, keys.get(i).get(scope, filled).repeat(0, copies));
                forked.values.get(i).set(filled, values.get(i).get(scope, filled).repeat(0, copies));
            }
        }
        forked.length = length;
        return forked;
    }

    /** Keeps only the given batch rows (sequences that are still generating), in place. */
    public void retainRows(long[] rows) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray index = scope.create(rows).toDevice(context.device(), false);
            for (int i = 0; i < layers; i++) {
                keys.set(i, select(keys.get(i), index));
                values.set(i, select(values.get(i), index));
            }
        }
        batch = rows.length;
        dropScriptLists();
    }

    /** Every self-attention layer's K as one TorchScript list (the arrays themselves: writes land in place). */
    IValue scriptKeys() {
        if (scriptKeys == null) {
            scriptKeys = IValue.listFrom(keys.stream().map(k -> (PtNDArray) k).toArray(PtNDArray[]::new));
        }
        return scriptKeys;
    }

    IValue scriptValues() {
        if (scriptValues == null) {
            scriptValues = IValue.listFrom(values.stream().map(v -> (PtNDArray) v).toArray(PtNDArray[]::new));
        }
        return scriptValues;
    }

    /** The lists hold references to the arrays they were built from: they must go when the arrays are replaced. */
    private void dropScriptLists() {
        if (scriptKeys != null) {
            scriptKeys.close();
            scriptValues.close();
            scriptKeys = null;
            scriptValues = null;
        }
    }

    private NDArray select(NDArray old, NDArray rows) {
        NDArray kept = old.get(manager, new NDIndex("{}", rows));
        old.close();
        return kept;
    }

    @Override
    public void close() {
        dropScriptLists();
        manager.close();
    }
}
