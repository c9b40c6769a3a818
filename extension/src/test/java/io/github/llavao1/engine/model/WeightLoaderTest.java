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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
