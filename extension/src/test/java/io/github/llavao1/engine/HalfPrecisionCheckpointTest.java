package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.checkpoint.CheckpointFixtures;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * bfloat16 and float16 checkpoints (Meta's base model is bfloat16) load through the Java widening path, never as
 * bfloat16 NDArrays (which abort DJL 0.36), and compute the same function up to the weights' rounding.
 */
class HalfPrecisionCheckpointTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TensorDType.class, names = {"BF16", "F16"})
    void halfPrecisionWeightsLoadAndMatchFloat32WithinRounding(TensorDType dtype) {
        Path copy = CheckpointFixtures.copyTiny(dir);
        CheckpointFixtures.rewriteShards(copy, dtype, UnaryOperator.identity());
        int[] ids = Fixtures.ints(Fixtures.referenceCase("square").get("input_ids"));
        float[] expected;
        LlavaEngine reference = Tiny.engine();
        try (Session session = reference.newSession(List.of(reference.processImage(Fixtures.tinyCheckpoint().resolve("square.png"))))) {
            expected = session.promptLogits(ids);
        }
        try (LlavaEngine engine = LlavaEngine.load(copy, EngineOptions.builder().device("cpu").build());
                Session session = engine.newSession(List.of(engine.processImage(Fixtures.tinyCheckpoint().resolve("square.png"))))) {
            float[] logits = session.promptLogits(ids);
            float diff = Fixtures.maxAbsDiff(logits, expected);
            // bf16 keeps 8 mantissa bits, f16 11: the logits move by the weights' relative rounding, not more
            float bound = dtype == TensorDType.BF16 ? 0.05f : 0.005f;
            assertTrue(diff > 0 && diff < bound, dtype + " logits differ from float32 by " + diff);
        }
    }
}
