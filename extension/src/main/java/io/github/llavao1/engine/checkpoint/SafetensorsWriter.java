package io.github.llavao1.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a safetensors file (the format {@link SafetensorsFile} reads) from float tensors stored as F32, F16 or
 * BF16, with metadata {@code {"format": "pt"}} as torch writes it. Values come from arrays or, for tensors too large
 * for the heap, from a {@link FloatSource} asked for one chunk at a time while the file is written.
 */
public final class SafetensorsWriter {

    /** Supplies a streamed tensor's values in row-major order, one chunk per call, in increasing order. */
    @FunctionalInterface
    public interface FloatSource {
        /** Writes elements {@code [first, first + count)} of the tensor into {@code chunk[0..count)}. */
        void fill(long first, float[] chunk, int count);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private record Entry(String name, TensorDType dtype, long[] shape, long elements, FloatSource source) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /** Adds a tensor whose values are all on the heap. */
    public SafetensorsWriter add(String name, TensorDType dtype, long[] shape, float[] values) {
        long elements = elements(name, shape);
        if (values.length != elements) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(shape));
        }
        float[] copy = values.clone();
        return add(name, dtype, shape, (first, chunk, count) -> System.arraycopy(copy, (int) first, chunk, 0, count));
    }

    /** Adds a tensor whose values {@code source} produces while the file is written. */
    public SafetensorsWriter add(String name, TensorDType dtype, long[] shape, FloatSource source) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(name + ": only F32, F16 and BF16 can be written, not " + dtype);
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException(name + ": added twice");
        }
        entries.add(new Entry(name, dtype, shape.clone(), elements(name, shape), source));
        return this;
    }

    /** Bytes of tensor data the file will hold (without its header). */
    public long dataBytes() {
        long total = 0;
        for (Entry entry : entries) {
            total += entry.elements * entry.dtype.bytes();
        }
        return total;
    }

    /** Writes the file, replacing any existing one; a failure removes the partial file. */
    public void write(Path file) {
        byte[] header = header();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header);
            drain(channel, head);
            ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4).order(ByteOrder.LITTLE_ENDIAN);
            float[] chunk = new float[CHUNK_ELEMENTS];
            for (Entry entry : entries) {
                for (long first = 0; first < entry.elements; first += CHUNK_ELEMENTS) {
                    int count = (int) Math.min(CHUNK_ELEMENTS, entry.elements - first);
                    entry.source.fill(first, chunk, count);
                    if (buffer.remaining() < count * entry.dtype.bytes()) {
                        drain(channel, buffer);
                    }
                    encode(entry.dtype, chunk, count, buffer);
                }
            }
            drain(channel, buffer);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new CheckpointException(file + ": cannot write safetensors file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data section stays aligned. */
    private byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Entry entry : entries) {
            long end = offset + entry.elements * entry.dtype.bytes();
            ObjectNode node = root.putObject(entry.name);
            node.put("dtype", entry.dtype.name());
            Arrays.stream(entry.shape).forEach(node.putArray("shape")::add);
            node.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void encode(TensorDType dtype, float[] values, int count, ByteBuffer out) {
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out.putFloat(values[i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(toBfloat16(values[i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(toFloat16(values[i]));
                }
            }
            default -> throw new IllegalStateException("not a float dtype: " + dtype);
        }
    }

    /** float32 to bfloat16, rounding to nearest even as torch's {@code .to(torch.bfloat16)} does; NaN stays NaN. */
    public static short toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** float32 to IEEE binary16, rounding to nearest even; overflow gives infinity, tiny values subnormals or zero. */
    public static short toFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            // subnormal: shift the mantissa (with its implicit 1) into place, rounding to nearest even
            int full = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            int half = full >>> shift;
            int rest = full & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (halfExponent << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding, up to infinity
        }
        return (short) (sign | half);
    }

    private static long elements(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original failure is what the caller needs to see
        }
    }
}
