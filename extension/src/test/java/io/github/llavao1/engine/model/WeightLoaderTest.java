package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.CheckpointFixtures;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Chunked, in-place loading: tensors larger than a chunk and fused groups come out exactly as stored. */
class WeightLoaderTest {

    @TempDir
    Path dir;

    private static ComputeContext cpu() {
        return new ComputeContext(Engine.getEngine("PyTorch").newBaseManager(Device.cpu()), Device.cpu(), DataType.FLOAT32);
    }

    @Test
    void tensorsSpanningManyChunksAndFusedGroupsLoadExactly() {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.tinyCheckpoint())) {
            ComputeContext context = cpu();
            List<Long> progress = new ArrayList<>();
            // 1,000 floats a chunk: the [439, 64] embedding takes 30 chunks, the last one short
            WeightLoader loader = new WeightLoader(checkpoint, context, (tensor, bytes) -> progress.add(bytes), 1000);
            NDArray embed = loader.load(WeightNames.embedTokens());
            assertArrayEquals(new long[] {439, 64}, embed.getShape().getShape());
            assertArrayEquals(checkpoint.readFloats(WeightNames.embedTokens()), embed.toFloatArray());

            NDArray fused = loader.loadFused(new float[] {0.5f, 1f, 1f}, WeightNames.textLayer(0) + "self_attn.q_proj.weight",
                    WeightNames.textLayer(0) + "self_attn.k_proj.weight", WeightNames.textLayer(0) + "self_attn.v_proj.weight");
            float[] q = checkpoint.readFloats(WeightNames.textLayer(0) + "self_attn.q_proj.weight");
            float[] k = checkpoint.readFloats(WeightNames.textLayer(0) + "self_attn.k_proj.weight");
            float[] v = checkpoint.readFloats(WeightNames.textLayer(0) + "self_attn.v_proj.weight");
            float[] expected = new float[q.length + k.length + v.length];
            for (int i = 0; i < q.length; i++) {
                expected[i] = q[i] * 0.5f;
            }
            System.arraycopy(k, 0, expected, q.length, k.length);
            System.arraycopy(v, 0, expected, q.length + k.length, v.length);
            assertArrayEquals(new long[] {128, 64}, fused.getShape().getShape());
            assertArrayEquals(expected, fused.toFloatArray());
            assertEquals(4, progress.size());
            context.manager().close();
        }
    }

    /**
     * int8 from a float32, bfloat16 or float16 checkpoint, in chunks of a few rows and fused (q|k|v with the q rows scaled):
     * each stored row quantized exactly as Int8Quantizer does it to the widened (and scaled) values.
     */
    @ParameterizedTest
    @EnumSource(value = TensorDType.class, names = {"F32", "BF16", "F16"})
    void int8QuantizesTensorByTensorFromAnyCheckpointDtype(TensorDType dtype) {
        Path copy = CheckpointFixtures.copyTiny(dir);
        if (dtype != TensorDType.F32) {
            CheckpointFixtures.rewriteShards(copy, dtype, UnaryOperator.identity());
        }
        String prefix = WeightNames.textLayer(0) + "self_attn.";
        try (Checkpoint checkpoint = Checkpoint.open(copy)) {
            ComputeContext context = cpu();
            List<Long> progress = new ArrayList<>();
            // 1,000 floats a chunk: 15 rows of 64
            WeightLoader loader = new WeightLoader(checkpoint, context, (tensor, bytes) -> progress.add(bytes), 1000);
            Weight.Int8 weight = (Weight.Int8) loader.loadLinear(Quantization.INT8, new float[] {0.25f, 1f, 1f},
                    prefix + "q_proj.weight", prefix + "k_proj.weight", prefix + "v_proj.weight");
            float[] widened = new float[128 * 64];
            int at = 0;
            for (String name : new String[] {"q_proj.weight", "k_proj.weight", "v_proj.weight"}) {
                float[] part = checkpoint.readFloats(prefix + name);
                for (float w : part) {
                    widened[at++] = name.startsWith("q") ? w * 0.25f : w;
                }
            }
            ByteBuffer expectedValues = ByteBuffer.allocate(widened.length);
            float[] expectedScales = new float[128];
            Int8Quantizer.quantizeRows(FloatBuffer.wrap(widened), 128, 64, expectedValues, expectedScales, 0);
            assertEquals(DataType.INT8, weight.values().getDataType());
            assertArrayEquals(new long[] {128, 64}, weight.values().getShape().getShape());
            assertArrayEquals(expectedValues.array(), weight.values().toByteArray());
            assertArrayEquals(expectedScales, weight.scales().toFloatArray());
            assertEquals(3, progress.size());
            context.manager().close();
        }
    }

    @Test
    void aWidthTheInt8KernelCannotStepThroughStaysInTheComputeDtype() {
        assertEquals(false, Quantization.INT8.fits(72));
        assertEquals(true, Quantization.INT8.fits(4096));
        assertEquals(72L * 40 * 4, Quantization.INT8.bytes(72, 40, 4));
        assertEquals(40L * 64 + 40 * 4, Quantization.INT8.bytes(40, 64, 4));
    }

    @Test
    void bfloat16ChunksAreWidenedInJava() {
        Path copy = CheckpointFixtures.copyTiny(dir);
        CheckpointFixtures.rewriteShards(copy, TensorDType.BF16, UnaryOperator.identity());
        try (Checkpoint checkpoint = Checkpoint.open(copy)) {
            ComputeContext context = cpu();
            NDArray embed = new WeightLoader(checkpoint, context, (tensor, bytes) -> { }, 1000).load(WeightNames.embedTokens());
            assertEquals(DataType.FLOAT32, embed.getDataType());
            assertArrayEquals(checkpoint.readFloats(WeightNames.embedTokens()), embed.toFloatArray());
            context.manager().close();
        }
    }
}
