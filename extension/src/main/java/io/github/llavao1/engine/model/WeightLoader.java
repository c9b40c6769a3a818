package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies checkpoint tensors into device arrays of the compute dtype. Data goes from the memory-mapped shard
 * through one reusable 64 MB off-heap staging buffer (bfloat16 and float16 widened in Java, since DJL 0.36
 * aborts on bfloat16 arrays), in row chunks, so neither the heap nor a single buffer ever holds a whole
 * multi-GB tensor. Not thread-safe: one loader per model load.
 */
final class WeightLoader {

    private static final int STAGING_FLOATS = 16 << 20;

    private final Checkpoint checkpoint;
    private final ComputeContext context;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_FLOATS * 4).order(ByteOrder.nativeOrder());
    private final LoadProgress progress;
    private long bytesLoaded;

    WeightLoader(Checkpoint checkpoint, ComputeContext context, LoadProgress progress) {
        this.checkpoint = checkpoint;
        this.context = context;
        this.progress = progress;
    }

    /** The tensor as stored, in the compute dtype. */
    NDArray load(String name) {
        return load(name, 1f);
    }

    /** The tensor multiplied by {@code scale} while loading (folds constant factors into weights). */
    NDArray load(String name, float scale) {
        TensorInfo info = checkpoint.tensor(name);
        long[] shape = info.shape();
        long rowElements = 1;
        for (int i = 1; i < shape.length; i++) {
            rowElements *= shape[i];
        }
        long rows = shape.length == 0 ? 1 : shape[0];
        long rowsPerChunk = Math.max(1, STAGING_FLOATS / Math.max(1, rowElements));
        List<NDArray> chunks = new ArrayList<>();
        for (long row = 0; row < rows; row += rowsPerChunk) {
            long chunkRows = Math.min(rowsPerChunk, rows - row);
            chunks.add(loadChunk(info, row, chunkRows, rowElements, scale));
        }
        NDArray result = chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(new NDList(chunks), 0);
        if (chunks.size() > 1) {
            chunks.forEach(NDArray::close);
        }
        bytesLoaded += info.byteLength();
        progress.tensorLoaded(info, bytesLoaded);
        return result;
    }

    /** Several tensors concatenated along dim 0 (fused projections such as q|k|v or gate|up). */
    NDArray loadFused(float[] scales, String... names) {
        NDList parts = new NDList();
        for (int i = 0; i < names.length; i++) {
            parts.add(load(names[i], scales == null ? 1f : scales[i]));
        }
        NDArray fused = NDArrays.concat(parts, 0);
        parts.close();
        return fused;
    }

    /** A one-element tensor (a gate) read on the heap. */
    float scalar(String name) {
        TensorInfo info = checkpoint.tensor(name);
        float[] values = checkpoint.readFloats(name);
        bytesLoaded += info.byteLength();
        progress.tensorLoaded(info, bytesLoaded);
        return values[0];
    }

    private NDArray loadChunk(TensorInfo info, long firstRow, long rows, long rowElements, float scale) {
        int count = Math.toIntExact(rows * rowElements);
        staging.clear();
        FloatBuffer floats = staging.asFloatBuffer();
        checkpoint.readFloats(info, firstRow * rowElements, count, floats);
        if (scale != 1f) {
            for (int i = 0; i < count; i++) {
                floats.put(i, floats.get(i) * scale);
            }
        }
        long[] shape = info.shape().clone();
        if (shape.length == 0) {
            shape = new long[] {1};
        } else {
            shape[0] = rows;
        }
        staging.limit(count * 4);
        // DJL wraps a direct buffer without copying: copy into tensor-owned memory before the buffer is reused.
        try (NDArray staged = context.manager().create(staging, new Shape(shape), DataType.FLOAT32)) {
            NDArray typed = staged.getDataType() == context.dtype() ? staged.duplicate() : staged.toType(context.dtype(), false);
            if (!typed.getDevice().equals(context.device())) {
                NDArray moved = typed.toDevice(context.device(), true);
                typed.close();
                typed = moved;
            }
            return typed;
        }
    }

    /** Receives load progress; called once per tensor on the loading thread. */
    interface LoadProgress {
        void tensorLoaded(TensorInfo tensor, long bytesLoadedSoFar);
    }
}
