package io.github.llavao1.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.PreprocessorConfig;
import io.github.llavao1.engine.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomCheckpointTest {

    @TempDir
    Path dir;

    private final MllamaConfig tiny = MllamaConfig.load(Fixtures.tinyCheckpoint().resolve("config.json"));

    @Test
    void shardedTinyCheckpointOpensWithSensibleValues() {
        List<String> progress = new ArrayList<>();
        Path tokenizer = Fixtures.tinyCheckpoint().resolve("tokenizer.json");
        RandomCheckpoint.write(tiny, dir, TensorDType.F32, 7, 400_000, tokenizer, progress::add);

        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertEquals(tiny, checkpoint.config());
            assertEquals(PreprocessorConfig.clip(56, 4), checkpoint.preprocessor());
            assertEquals(tiny.text().eosTokenIds(), checkpoint.generation().eosTokenIds());
            assertEquals(dir.resolve("tokenizer.json"), checkpoint.tokenizerFile().orElseThrow());
            assertTrue(checkpoint.shards().size() >= 3, "1.3 MB in shards of at most 400 kB: " + checkpoint.shards());
            assertTrue(Files.exists(dir.resolve(ShardSet.INDEX_FILE)));
            assertEquals(checkpoint.shards().size() + 2, progress.size(), "JSON files, each shard, the index:\n" + String.join("\n", progress));

            assertArrayEquals(new float[] {1, 1, 1, 1}, slice(checkpoint.readFloats(WeightNames.textNorm()), 4));
            assertArrayEquals(new float[] {0.5f}, checkpoint.readFloats(WeightNames.textLayer(1) + "cross_attn_attn_gate"));
            assertArrayEquals(new float[] {0.5f}, checkpoint.readFloats(WeightNames.VisionEncoder.GLOBAL_TRANSFORMER.layer(0) + "gate_ffn"));
            assertArrayEquals(new float[32], checkpoint.readFloats(WeightNames.layernormPreBias()));
            assertUniform(checkpoint.readFloats(WeightNames.textLayer(0) + "mlp.down_proj.weight"), 1 / Math.sqrt(128));
            assertUniform(checkpoint.readFloats(WeightNames.patchEmbedding()), 1 / Math.sqrt(3 * 14 * 14));
            assertUniform(checkpoint.readFloats(WeightNames.embedTokens()), 0.02);
        }
    }

    @Test
    void valuesDependOnlyOnTheSeedAndBfloat16IsTheRoundedFloat32() {
        Path f32 = dir.resolve("f32");
        Path bf16 = dir.resolve("bf16");
        Path otherSeed = dir.resolve("other");
        RandomCheckpoint.write(tiny, f32, TensorDType.F32, 7, 400_000, null, line -> { });
        RandomCheckpoint.write(tiny, bf16, TensorDType.BF16, 7, Long.MAX_VALUE, null, line -> { });
        RandomCheckpoint.write(tiny, otherSeed, TensorDType.F32, 8, Long.MAX_VALUE, null, line -> { });
        try (Checkpoint a = Checkpoint.open(f32); Checkpoint b = Checkpoint.open(bf16); Checkpoint c = Checkpoint.open(otherSeed)) {
            assertEquals("bfloat16", b.config().checkpointDtype());
            assertEquals(List.of(bf16.resolve("model.safetensors")), b.shards(), "fits one shard: no index");
            assertFalse(Files.exists(bf16.resolve(ShardSet.INDEX_FILE)));
            for (String name : WeightNames.expectedShapes(tiny).keySet()) {
                float[] exact = a.readFloats(name);
                float[] rounded = b.readFloats(name);
                for (int i = 0; i < exact.length; i++) {
                    assertEquals(Float.intBitsToFloat(SafetensorsWriter.toBfloat16(exact[i]) << 16), rounded[i], name);
                }
            }
            assertFalse(java.util.Arrays.equals(a.readFloats(WeightNames.lmHead()), c.readFloats(WeightNames.lmHead())));
        }
    }

    @Test
    void rewritingADirectoryRemovesTheOldLayout() {
        RandomCheckpoint.write(tiny, dir, TensorDType.F32, 1, 400_000, null, line -> { });
        RandomCheckpoint.write(tiny, dir, TensorDType.F16, 1, Long.MAX_VALUE, null, line -> { });
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertEquals(List.of(dir.resolve("model.safetensors")), checkpoint.shards());
            assertEquals(TensorDType.F16, checkpoint.tensor(WeightNames.lmHead()).dtype());
        }
        assertFalse(Files.exists(dir.resolve(ShardSet.INDEX_FILE)));
        assertFalse(Files.exists(dir.resolve("model-00001-of-00004.safetensors")));
    }

    /** Within ±bound, spread over most of it, centred near zero. */
    private static void assertUniform(float[] values, double bound) {
        double max = 0;
        double sum = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
            sum += v;
        }
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
        assertTrue(Math.abs(sum / values.length) < 0.1 * bound, "mean " + sum / values.length);
    }

    private static float[] slice(float[] values, int n) {
        return java.util.Arrays.copyOf(values, n);
    }
}
