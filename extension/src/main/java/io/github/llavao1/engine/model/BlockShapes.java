package io.github.llavao1.engine.model;

import ai.djl.ndarray.types.Shape;

/**
 * Shape checks at block boundaries: a disagreement names the block, the tensor and both shapes, instead of
 * surfacing later as libtorch's "shape '[20, 32]' is invalid for input of size 1920" from deep inside a block.
 */
final class BlockShapes {

    /** Matches any size in {@link #expect}. */
    static final long ANY = -1;

    private BlockShapes() {
    }

    /** Throws unless {@code actual} has {@code expected.length} dimensions equal to {@code expected} (or ANY). */
    static void expect(String block, String tensor, Shape actual, long... expected) {
        boolean ok = actual.dimension() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = expected[i] == ANY || expected[i] == actual.get(i);
        }
        if (!ok) {
            throw new IllegalStateException(block + ": " + tensor + " has shape " + actual + ", expected " + describe(expected));
        }
    }

    private static String describe(long[] dims) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : ", ").append(dims[i] == ANY ? "?" : Long.toString(dims[i]));
        }
        return s.append(')').toString();
    }
}
