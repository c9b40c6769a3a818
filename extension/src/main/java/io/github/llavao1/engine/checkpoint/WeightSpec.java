package io.github.llavao1.engine.checkpoint;

import java.util.Arrays;

/**
 * One tensor the model needs: its canonical checkpoint name, the shape the config implies and what kind of
 * parameter it is (which decides how {@link RandomCheckpoint} initialises it).
 */
public record WeightSpec(String name, long[] shape, Kind kind) {

    /** The role a parameter plays in the network. */
    public enum Kind {
        /** A projection weight {@code [out, in…]}; fan-in is the product of all but the first dimension. */
        LINEAR,
        /** A learned bias added after a projection. */
        BIAS,
        /** A lookup table or learned positional/class embedding. */
        EMBEDDING,
        /** The scale of an RMSNorm or LayerNorm. */
        NORM_WEIGHT,
        /** The shift of a LayerNorm. */
        NORM_BIAS,
        /** A scalar gate that goes through tanh before scaling a residual branch. */
        GATE
    }

    public WeightSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Inputs per output of a {@link Kind#LINEAR} weight. */
    public long fanIn() {
        return elementCount() / shape[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSpec w && w.name.equals(name) && Arrays.equals(w.shape, shape) && w.kind == kind;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape) + " " + kind;
    }
}
