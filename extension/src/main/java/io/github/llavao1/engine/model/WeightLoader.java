package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.checkpoint.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * Copies checkpoint tensors into device arrays of the compute dtype. Each tensor (or fused group of tensors) gets
 * its final array up front, and row chunks of at most 64 MB are copied into it in place: a float32 chunk straight
 * from the memory-mapped shard, anything else (bfloat16, float16, or a scaled tensor) widened in Java into one
 * reusable off-heap staging buffer first, since DJL 0.36 aborts on bfloat16 arrays. Neither the heap nor a single
 * buffer ever holds a whole multi-GB tensor, and no tensor is copied more than once on the CPU. Not thread-safe:
 * one loader per model load.
 */
final class WeightLoader {

    static final int DEFAULT_CHUNK_FLOATS = 16 << 20;

    private final Checkpoint checkpoint;
    private final ComputeContext context;
    private final int chunkFloats;
    private final ByteBuffer staging;
    /** int8 values of one chunk, made on the first quantized weight */
    private ByteBuffer quantized;
    private final ObjLongConsumer<TensorInfo> progress;
    private long bytesLoaded;

    WeightLoader(Checkpoint checkpoint, ComputeContext context, ObjLongConsumer<TensorInfo> progress) {
        this(checkpoint, context, progress, DEFAULT_CHUNK_FLOATS);
    }

    /** @param chunkFloats the most elements copied at once (64 MB of float32 by default) */
    WeightLoader(Checkpoint checkpoint, ComputeContext context, ObjLongConsumer<TensorInfo> progress, int chunkFloats) {
        this.checkpoint = checkpoint;
        this.context = context;
        this.progress = progress;
        this.chunkFloats = chunkFloats;
        this.staging = ByteBuffer.allocateDirect(chunkFloats * 4).order(ByteOrder.nativeOrder());
    }

    /** The tensor as stored, in the compute dtype. */
    NDArray load(String name) {
        return load(name, 1f);
    }

    /** The tensor multiplied by {@code scale} while loading (folds constant factors into weights). */
    NDArray load(String name, float scale) {
        return loadFused(new float[] {scale}, name);
    }

    /** Several tensors stacked along dim 0 into one array (fused projections such as q|k|v or gate|up). */
    NDArray loadFused(float[] scales, String... names) {
        TensorInfo[] parts = new TensorInfo[names.length];
        long rows = 0;
        for (int i = 0; i < names.length; i++) {
            parts[i] = checkpoint.tensor(names[i]);
            rows += parts[i].rank() == 0 ? 1 : parts[i].shape()[0];
        }
        long[] shape = parts[0].rank() == 0 ? new long[] {1} : parts[0].shape().clone();
        shape[0] = rows;
        NDArray target = context.manager().create(new Shape(shape), context.dtype());
        long row = 0;
        for (int i = 0; i < parts.length; i++) {
            row = copyInto(target, row, parts[i], scales == null ? 1f : scales[i]);
            bytesLoaded += parts[i].byteLength();
            progress.accept(parts[i], bytesLoaded);
        }
        return target;
    }

    /**
     * A layer's list entries in {@code entries}' order, gates left out: each entry's tensors (named under
     * {@code layerPrefix}) fused, 1/sqrt(head_dim) folded into those marked attention-scaled, all in the compute dtype.
     */
    <C> List<NDArray> loadLayer(LayerWeights.Entry<C>[] entries, String layerPrefix, int headDim) {
        List<NDArray> weights = new ArrayList<>();
        for (Weight weight : loadLayer(entries, layerPrefix, headDim, Quantization.NONE)) {
            weights.add(((Weight.Dense) weight).tensor());
        }
        return List.copyOf(weights);
    }

    /**
     * As {@link #loadLayer(LayerWeights.Entry[], String, int)}, with the entries that are
     * {@link LayerWeights.Entry#isQuantizable() quantizable} stored as {@code quantization} says.
     */
    <C> List<Weight> loadLayer(LayerWeights.Entry<C>[] entries, String layerPrefix, int headDim, Quantization quantization) {
        float attentionScale = (float) (1.0 / Math.sqrt(headDim));
        List<Weight> weights = new ArrayList<>();
        for (LayerWeights.Entry<C> entry : entries) {
            if (entry.isGate()) {
                continue;
            }
            List<LayerWeights.Tensor<C>> tensors = entry.tensors();
            float[] scales = new float[tensors.size()];
            String[] names = new String[tensors.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = tensors.get(i).name(layerPrefix);
                scales[i] = tensors.get(i).attentionScaled() ? attentionScale : 1f;
            }
            weights.add(entry.isQuantizable() ? loadLinear(quantization, scales, names) : new Weight.Dense(loadFused(scales, names)));
        }
        return List.copyOf(weights);
    }

    /**
     * A linear map's weight (several stacked along dim 0 when fused), stored as {@code quantization} says: in the
     * compute dtype (also where its width does not {@link Quantization#fits fit}), or quantized chunk by chunk as it is
     * read, so no float copy of the whole weight is ever held.
     */
    Weight loadLinear(Quantization quantization, float[] scales, String... names) {
        TensorInfo first = checkpoint.tensor(names[0]);
        if (quantization instanceof Quantization.None || first.rank() != 2 || !quantization.fits(first.shape()[1])) {
            return new Weight.Dense(loadFused(scales, names));
        }
        TensorInfo[] parts = new TensorInfo[names.length];
        long rows = 0;
        for (int i = 0; i < names.length; i++) {
            parts[i] = checkpoint.tensor(names[i]);
            if (parts[i].rank() != 2 || parts[i].shape()[1] != checkpoint.tensor(names[0]).shape()[1]) {
                throw new IllegalStateException(names[i] + ": a quantized linear map needs [N, K] weights of one K");
            }
            rows += parts[i].shape()[0];
        }
        long columns = parts[0].shape()[1];
        NDArray values = context.manager().create(new Shape(rows, columns), DataType.INT8);
        float[] rowScales = new float[Math.toIntExact(rows)];
        long row = 0;
        for (int i = 0; i < parts.length; i++) {
            row = quantizeInto(values, rowScales, row, parts[i], scales == null ? 1f : scales[i]);
            bytesLoaded += parts[i].byteLength();
            progress.accept(parts[i], bytesLoaded);
        }
        return new Weight.Int8(values, context.manager().create(rowScales));
    }

    /** Quantizes {@code tensor} [n, K] into rows firstRow.. of {@code values} and {@code scales}; returns the row after it. */
    private long quantizeInto(NDArray values, float[] scales, long firstRow, TensorInfo tensor, float scale) {
        int columns = Math.toIntExact(tensor.shape()[1]);
        long rows = tensor.shape()[0];
        int rowsPerChunk = Math.max(1, chunkFloats / Math.max(1, columns));
        if (quantized == null) {
            quantized = ByteBuffer.allocateDirect(chunkFloats < columns ? columns : chunkFloats).order(ByteOrder.nativeOrder());
        }
        for (long row = 0; row < rows; row += rowsPerChunk) {
            int chunkRows = (int) Math.min(rowsPerChunk, rows - row);
            int count = chunkRows * columns;
            FloatBuffer floats = floats(tensor, row * columns, count, scale);
            quantized.clear();
            try {
                Int8Quantizer.quantizeRows(floats, chunkRows, columns, quantized, scales, Math.toIntExact(firstRow + row));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(tensor.name() + ": cannot quantize: " + e.getMessage(), e);
            }
            quantized.limit(count);
            try (NDManager scope = context.manager().newSubManager()) {
                NDArray chunk = scope.create(quantized, new Shape(chunkRows, columns), DataType.INT8);
                values.set(new NDIndex("{}:{}", firstRow + row, firstRow + row + chunkRows), chunk);
            }
        }
        return firstRow + rows;
    }

    /** tanh of the gate {@code entry} of the layer whose names start with {@code layerPrefix}. */
    double gate(LayerWeights.Entry<?> entry, String layerPrefix) {
        return Math.tanh(scalar(entry.tensors().get(0).name(layerPrefix)));
    }

    /** A one-element tensor (a gate) read on the heap. */
    float scalar(String name) {
        TensorInfo info = checkpoint.tensor(name);
        float[] values = checkpoint.readFloats(name);
        bytesLoaded += info.byteLength();
        progress.accept(info, bytesLoaded);
        return values[0];
    }

    /** Copies {@code tensor} into {@code target} rows firstRow.. in chunks; returns the row after it. */
    private long copyInto(NDArray target, long firstRow, TensorInfo tensor, float scale) {
        long[] shape = tensor.rank() == 0 ? new long[] {1} : tensor.shape();
        long rowElements = 1;
        for (int i = 1; i < shape.length; i++) {
            rowElements *= shape[i];
        }
        long rowsPerChunk = Math.max(1, chunkFloats / Math.max(1, rowElements));
        for (long row = 0; row < shape[0]; row += rowsPerChunk) {
            long chunkRows = Math.min(rowsPerChunk, shape[0] - row);
            long[] chunkShape = shape.clone();
            chunkShape[0] = chunkRows;
            try (NDManager scope = context.manager().newSubManager()) {
                NDArray chunk = chunk(scope, tensor, row * rowElements, Math.toIntExact(chunkRows * rowElements), new Shape(chunkShape), scale);
                target.set(new NDIndex("{}:{}", firstRow + row, firstRow + row + chunkRows), chunk);
            }
        }
        return firstRow + shape[0];
    }

    /**
     * One chunk as a float32 array in the compute dtype on the target device. DJL wraps a direct buffer without
     * copying, so the array aliases the mapped file or the staging buffer: it must be consumed (copied into the
     * target) before the next chunk is read.
     */
    private NDArray chunk(NDManager scope, TensorInfo tensor, long first, int count, Shape shape, float scale) {
        ByteBuffer data;
        if (tensor.dtype() == TensorDType.F32 && scale == 1f) {
            data = checkpoint.file(tensor).map(tensor, first * 4, count * 4);
        } else {
            floats(tensor, first, count, scale);
            staging.limit(count * 4);
            data = staging;
        }
        NDArray array = scope.create(data, shape, DataType.FLOAT32);
        if (context.dtype() != DataType.FLOAT32) {
            array = array.toType(context.dtype(), false);
        }
        return array;
    }

    /** {@code count} elements of {@code tensor} from {@code first}, widened to float32 and scaled, in the staging buffer. */
    private FloatBuffer floats(TensorInfo tensor, long first, int count, float scale) {
        staging.clear();
        FloatBuffer floats = staging.asFloatBuffer();
        checkpoint.readFloats(tensor, first, count, floats);
        if (scale != 1f) {
            for (int i = 0; i < count; i++) {
                floats.put(i, floats.get(i) * scale);
            }
        }
        return floats;
    }
}
