package io.github.llavao1.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    @Test
    void readsFixtureShardHeaderAndData() {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.tinyCheckpoint().resolve("model-00001-of-00002.safetensors"))) {
            TensorInfo embed = file.tensor("language_model.model.embed_tokens.weight");
            assertArrayEquals(new long[] {439, 64}, embed.shape());
            assertEquals(TensorDType.F32, embed.dtype());
            float[] values = file.readFloats(embed);
            assertEquals(439 * 64, values.length);
            assertTrue(values[0] != 0f);
        }
        try (SafetensorsFile ref = Fixtures.referenceTensors()) {
            long[] ids = ref.readLongs("text.input_ids");
            assertEquals(420, ids[0]);
        }
    }

    @Test
    void widensBfloat16AndFloat16() throws IOException {
        // 1.5f in bf16 is 0x3FC0; -2.0f in f16 is 0xC000
        Path file = write("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[4,6]}}", new byte[] {(byte) 0xC0, 0x3F, 0, 0, 0, (byte) 0xC0});
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1.5f, 0f}, st.readFloats("a"));
            assertArrayEquals(new float[] {-2f}, st.readFloats("b"));
        }
    }

    @Test
    void truncatedDataIsReportedWithTheFileAndTensor() throws IOException {
        Path file = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("w") && e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void headerSizeMismatchIsReported() throws IOException {
        Path file = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", new byte[16]);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("needs 12"), e.getMessage());
    }

    @Test
    void garbageIsNotASafetensorsFile() throws IOException {
        Path file = dir.resolve("junk.safetensors");
        Files.writeString(file, "this is not a safetensors file at all");
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    private Path write(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).put(data);
        Path file = dir.resolve("t" + System.nanoTime() + ".safetensors");
        Files.write(file, buf.array());
        return file;
    }
}
