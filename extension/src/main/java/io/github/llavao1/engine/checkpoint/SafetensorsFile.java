package io.github.llavao1.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped reader of one safetensors file (8-byte little-endian header length, JSON header, raw
 * little-endian tensor bytes). Tensor data is mapped on demand region by region, so files and tensors larger than
 * 2 GB are read without passing through the Java heap. Every header entry is checked against the file's size
 * when the file is opened, so a truncated shard fails here with its name instead of crashing later.
 */
public final class SafetensorsFile implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates {@code file}; throws {@link CheckpointException} naming the file and the problem. */
    public static SafetensorsFile open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": safetensors file not found");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot open safetensors file: " + e.getMessage(), e);
        }
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new CheckpointException(file + ": truncated safetensors file (" + fileSize + " bytes, no header length)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
                throw new CheckpointException(file + ": invalid safetensors header length " + headerLength
                        + " for a file of " + fileSize + " bytes (truncated or not a safetensors file)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            JsonNode header;
            try {
                header = JSON.readTree(headerBytes.array());
            } catch (IOException e) {
                throw new CheckpointException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new CheckpointException(file + ": safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getKey().equals("__metadata__")) {
                    entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(entry.getKey(), parseEntry(file, entry.getKey(), entry.getValue(), dataStart, fileSize));
            }
            return new SafetensorsFile(file, channel, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckpointException(file + ": cannot read safetensors header: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode entry, long dataStart, long fileSize) {
        String where = file + ": tensor '" + name + "'";
        JsonNode dtypeNode = entry.get("dtype");
        JsonNode shapeNode = entry.get("shape");
        JsonNode offsets = entry.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray()
                || offsets.size() != 2) {
            throw new CheckpointException(where + ": header entry needs dtype, shape and two data_offsets");
        }
        TensorDType dtype = TensorDType.parse(dtypeNode.asText());
        if (dtype == null) {
            throw new CheckpointException(where + ": unsupported dtype " + dtypeNode.asText());
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new CheckpointException(where + ": invalid shape " + shapeNode);
            }
            elements *= shape[i];
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin) {
            throw new CheckpointException(where + ": invalid data_offsets " + offsets);
        }
        if (end - begin != elements * dtype.bytes()) {
            throw new CheckpointException(where + ": header says " + (end - begin) + " bytes but shape " + shapeNode
                    + " of " + dtype + " needs " + elements * dtype.bytes());
        }
        if (dataStart + end > fileSize) {
            throw new CheckpointException(where + ": data ends at byte " + (dataStart + end) + " but the file has only "
                    + fileSize + " bytes (truncated shard?)");
        }
        return new TensorInfo(name, file, dtype, shape, dataStart + begin, end - begin);
    }

    public Path path() {
        return path;
    }

    /** All tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorInfo tensor(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(path + ": no tensor named '" + name + "'");
        }
        return info;
    }

    /** Maps {@code length} bytes of a tensor starting at {@code byteOffset} within it, read-only, little-endian. */
    public ByteBuffer map(TensorInfo tensor, long byteOffset, int length) {
        if (byteOffset < 0 || length < 0 || byteOffset + length > tensor.byteLength()) {
            throw new IndexOutOfBoundsException(tensor + ": bytes [" + byteOffset + ", " + (byteOffset + length) + ")");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, tensor.dataOffset() + byteOffset, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot map tensor '" + tensor.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Converts {@code count} elements starting at element {@code first} to float32 into {@code dst} (its position
     * advances). Works for tensors of any size; bfloat16 and float16 are widened in Java.
     */
    public void readFloats(TensorInfo tensor, long first, int count, FloatBuffer dst) {
        if (!tensor.dtype().isFloatingPoint()) {
            throw new CheckpointException(path + ": tensor '" + tensor.name() + "' is " + tensor.dtype() + ", not floating point");
        }
        int width = tensor.dtype().bytes();
        ByteBuffer src = map(tensor, first * width, Math.multiplyExact(count, width));
        if (tensor.dtype() == TensorDType.F32) {
            dst.put(src.asFloatBuffer());
            return;
        }
        TensorDType dtype = tensor.dtype();
        for (int i = 0; i < count; i++) {
            dst.put(dtype.readFloat(src, i));
        }
    }

    /** The whole tensor as float32 on the heap; for tensors below 2^31 elements (tests, small weights). */
    public float[] readFloats(TensorInfo tensor) {
        float[] out = new float[Math.toIntExact(tensor.elementCount())];
        readFloats(tensor, 0, out.length, FloatBuffer.wrap(out));
        return out;
    }

    public float[] readFloats(String name) {
        return readFloats(tensor(name));
    }

    /** An integer tensor (I64, I32, I8, U8, BOOL) as longs. */
    public long[] readLongs(String name) {
        TensorInfo tensor = tensor(name);
        if (tensor.dtype().isFloatingPoint()) {
            throw new CheckpointException(path + ": tensor '" + name + "' is " + tensor.dtype() + ", not an integer type");
        }
        int n = Math.toIntExact(tensor.elementCount());
        ByteBuffer src = map(tensor, 0, Math.toIntExact(tensor.byteLength()));
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (tensor.dtype()) {
                case I64 -> src.getLong(i * 8);
                case I32 -> src.getInt(i * 4);
                case U8, BOOL -> src.get(i) & 0xFF;
                default -> src.get(i);
            };
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, position + dst.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
