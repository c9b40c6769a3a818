package io.github.llavao1.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesWhatTheReaderReadsInEveryFloatType() throws IOException {
        float[] values = {0f, -0f, 1f, -2.5f, 65504f, 1e-3f, 3.14159f, Float.POSITIVE_INFINITY};
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter()
                .add("f32", TensorDType.F32, new long[] {2, 4}, values)
                .add("f16", TensorDType.F16, new long[] {8}, values)
                .add("bf16", TensorDType.BF16, new long[] {4, 2}, values)
                .add("empty", TensorDType.F32, new long[] {0, 3}, new float[0])
                .write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertArrayEquals(new long[] {2, 4}, st.tensor("f32").shape());
            assertArrayEquals(values, st.readFloats("f32"));
            assertArrayEquals(new float[] {0f, -0f, 1f, -2.5f, 65504f, 0.0010004044f, 3.140625f, Float.POSITIVE_INFINITY},
                    st.readFloats("f16"));
            assertArrayEquals(new float[] {0f, -0f, 1f, -2.5f, 65536f, 0.00099945068359375f, 3.140625f, Float.POSITIVE_INFINITY},
                    st.readFloats("bf16"));
            assertEquals(0, st.readFloats("empty").length);
        }
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "data section starts 8-byte aligned");
    }

    @Test
    void streamsTensorsLargerThanOneChunk() {
        int n = (1 << 20) * 2 + 12345;
        Path file = dir.resolve("big.safetensors");
        new SafetensorsWriter().add("ramp", TensorDType.F32, new long[] {n}, (first, chunk, count) -> {
            for (int i = 0; i < count; i++) {
                chunk[i] = first + i;
            }
        }).add("after", TensorDType.BF16, new long[] {1}, new float[] {7f}).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            TensorInfo ramp = st.tensor("ramp");
            FloatBuffer tail = FloatBuffer.allocate(3);
            st.readFloats(ramp, n - 3, 3, tail);
            assertArrayEquals(new float[] {n - 3, n - 2, n - 1}, tail.array());
            assertArrayEquals(new float[] {7f}, st.readFloats("after"));
        }
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, SafetensorsWriter.toBfloat16(1.00390625f)); // 1 + 2^-8: tie, 1.0 is even
        assertEquals((short) 0x3F82, SafetensorsWriter.toBfloat16(1.01171875f)); // 1 + 3*2^-8: tie, rounds up to even
        assertEquals((short) 0x3F81, SafetensorsWriter.toBfloat16(1.0078126f)); // just above 1 + 2^-7
        assertTrue(Float.isNaN(Float.intBitsToFloat(SafetensorsWriter.toBfloat16(Float.NaN) << 16)));
        assertEquals((short) 0x7F80, SafetensorsWriter.toBfloat16(Float.MAX_VALUE)); // overflows to infinity
    }

    @Test
    void float16RoundTripsEveryHalfAndRoundsToNearestEven() {
        for (int h = 0; h < 0x10000; h++) {
            float value = TensorDType.halfToFloat((short) h);
            if (!Float.isNaN(value)) {
                assertEquals((short) h, SafetensorsWriter.toFloat16(value), "half 0x" + Integer.toHexString(h));
            }
        }
        assertEquals((short) 0x3C00, SafetensorsWriter.toFloat16(1f + 0x1p-11f)); // tie between 1 and 1 + 2^-10
        assertEquals((short) 0x3C02, SafetensorsWriter.toFloat16(1f + 3 * 0x1p-11f)); // tie, up to even
        assertEquals((short) 0x7C00, SafetensorsWriter.toFloat16(65520f)); // rounds past the largest half
        assertEquals((short) 0x7BFF, SafetensorsWriter.toFloat16(65519f));
        assertEquals((short) 0x0000, SafetensorsWriter.toFloat16(0x1p-25f)); // tie with the smallest subnormal: even is 0
        assertEquals((short) 0x0001, SafetensorsWriter.toFloat16(0x1.000002p-25f));
        assertEquals((short) 0x8000, SafetensorsWriter.toFloat16(-1e-30f));
        assertTrue(Float.isNaN(TensorDType.halfToFloat(SafetensorsWriter.toFloat16(Float.NaN))));
    }

    @Test
    void rejectsBadInputWithTheTensorName() {
        SafetensorsWriter writer = new SafetensorsWriter().add("a", TensorDType.F32, new long[] {1}, new float[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.add("a", TensorDType.F32, new long[] {1}, new float[] {1}));
        assertTrue(e.getMessage().startsWith("a:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> writer.add("b", TensorDType.F32, new long[] {2}, new float[] {1}));
        assertTrue(e.getMessage().startsWith("b: 1 values for shape [2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> writer.add("c", TensorDType.I64, new long[] {1}, new float[] {1}));
        assertTrue(e.getMessage().contains("I64"), e.getMessage());
    }

    @Test
    void aFailingSourceLeavesNoPartialFile() {
        Path file = dir.resolve("partial.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter().add("x", TensorDType.F32, new long[] {4}, (first, chunk, count) -> {
            throw new IllegalStateException("source failed");
        });
        assertThrows(IllegalStateException.class, () -> writer.write(file));
        assertFalse(Files.exists(file));
    }
}
