package io.github.llavao1.engine.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header: its file, dtype, shape and byte range within the data section.
 *
 * @param dataOffset absolute byte offset of the first element in the file
 */
public record TensorInfo(String name, Path file, TensorDType dtype, long[] shape, long dataOffset, long byteLength) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.file.equals(file) && t.dtype == dtype
                && Arrays.equals(t.shape, shape) && t.dataOffset == dataOffset && t.byteLength == byteLength;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString() + " in " + file.getFileName();
    }
}
