package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** The few composite operations DJL's engine lacks, written once. Results live in the first operand's manager. */
final class Ops {

    private Ops() {
    }

    /** Up to this many rows, a CPU linear map runs as W · xᵀ (see {@link #linear}). */
    private static final long SMALL_BATCH_ROWS = 32;
    private static final NDIndex ALL = new NDIndex(":");

    /**
     * {@code x W^T (+ b)}: torch.nn.functional.linear. On the CPU, libtorch's GEMM for a few rows against a large
     * weight (decoding 2-32 sequences) runs 2x slower than the same product with the weight as the left operand
     * (measured: [4, 2048] × [2048, 11264] 16.4 ms as x·Wᵀ, 9.0 ms as (W·xᵀ)ᵀ; one row is equal either way), so
     * bias-free small batches take that form there.
     */
    static NDArray linear(NDArray x, NDArray weight, NDArray biasOrNull) {
        Shape shape = x.getShape();
        long in = shape.get(shape.dimension() - 1);
        long rows = shape.size() / in;
        if (biasOrNull == null && rows <= SMALL_BATCH_ROWS && !x.getDevice().isGpu()) {
            // a copy: getShape() returns the Shape's own array, and x keeps that Shape
            long[] outShape = shape.getShape().clone();
            outShape[outShape.length - 1] = weight.getShape().get(0);
            NDArray w = weight.get(x.getManager(), ALL);
            return w.matMul(x.reshape(rows, in).transpose()).transpose().reshape(outShape);
        }
        return x.getNDArrayInternal().linear(x, weight, biasOrNull).singletonOrThrow();
    }
}
