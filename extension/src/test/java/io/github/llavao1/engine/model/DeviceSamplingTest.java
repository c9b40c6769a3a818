package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.ReferenceSampler;
import io.github.llavao1.engine.testing.Fixtures;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decoder's on-device draw (TextDecoder.py) picks exactly the token ReferenceSampler.NucleusSampler.draw picks in Java from
 * the same logits and uniform, over temperatures, top-p and top-k settings (top-k above the Java sampler's first
 * sorted head of 64 included), logits with many exact ties, and rows far below their maximum.
 */
class DeviceSamplingTest {

    @Test
    void deviceDrawEqualsTheJavaSampler() throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.tinyCheckpoint());
                MllamaModel model = MllamaModel.load(checkpoint, ComputeContext.create("cpu", "float32"), (t, b) -> { })) {
            drawsMatch(model);
        }
    }

    private static void drawsMatch(MllamaModel model) {
        TextDecoderScript script = model.languageModel().script();
        int vocab = 600;
        int rows = 8;
        SplittableRandom random = new SplittableRandom(21);
        double[][] settings = {{1.0, 1.0, 0}, {0.6, 0.9, 0}, {1.7, 0.5, 0}, {1.0, 0.95, 20}, {0.6, 1.0, 100}, {0.3, 0.8, 200},
            {1.0, 0.01, 0}, {2.5, 0.99, 1}};
        Set<Integer> distinct = new HashSet<>();
        try (NDManager scope = model.context().manager().newSubManager()) {
            for (int trial = 0; trial < 40; trial++) {
                float[] logits = new float[rows * vocab];
                for (int i = 0; i < logits.length; i++) {
                    // quantised on odd trials: exact ties everywhere
                    double value = random.nextGaussian() * (1 + trial % 4);
                    logits[i] = trial % 2 == 1 ? Math.round(value * 4) / 4f : (float) value;
                }
                double[] uniforms = new double[rows];
                for (int r = 0; r < rows; r++) {
                    uniforms[r] = random.nextDouble();
                }
                double[] s = settings[trial % settings.length];
                ReferenceSampler.NucleusSampler sampler = ReferenceSampler.of(s[0], s[1], (int) s[2]);
                GenerationOptions options = GenerationOptions.builder().temperature(s[0]).topP(s[1]).topK((int) s[2]).build();
                long[] expected = new long[rows];
                for (int r = 0; r < rows; r++) {
                    expected[r] = sampler.draw(logits, r * vocab, vocab, uniforms[r]);
                    distinct.add((int) expected[r]);
                }
                NDArray onDevice = scope.create(FloatBuffer.wrap(logits), new Shape(rows, vocab));
                assertArrayEquals(expected, script.draw(onDevice, TextModel.sampling(options, uniforms)),
                        "trial " + trial + ", temperature " + s[0] + ", top-p " + s[1] + ", top-k " + s[2]);
            }
        }
        assertTrue(distinct.size() > 100, "the draws spread over the vocabulary: " + distinct.size());
    }
}
