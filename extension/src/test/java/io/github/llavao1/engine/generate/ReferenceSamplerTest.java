package io.github.llavao1.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reference sampler the device draw is held to (DeviceSamplingTest): transformers' warpers in order: temperature, top-k, top-p; then a draw from the renormalised distribution. */
class ReferenceSamplerTest {

    private static final float[] LOGITS = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f, -50f, -100f};

    @Test
    void argmaxPicksTheLargestWithinTheRow() {
        float[] rows = {0, 3, 1, /* row 2 */ 5, 2, 9};
        assertEquals(1, ReferenceSampler.ARGMAX.sample(rows, 0, 3, null));
        assertEquals(2, ReferenceSampler.ARGMAX.sample(rows, 3, 3, null));
    }

    @Test
    void topKOneAndTinyTopPAreGreedy() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            assertEquals(0, ReferenceSampler.of(1.0, 1.0, 1).sample(LOGITS, 0, LOGITS.length, random));
            assertEquals(0, ReferenceSampler.of(1.0, 0.01, 0).sample(LOGITS, 0, LOGITS.length, random));
        }
    }

    @Test
    void frequenciesFollowTheTemperedDistributionAndNucleus() {
        // temperature 1, top-p 0.8: softmax of LOGITS gives about 0.56, 0.21, 0.13, 0.08, 0.03, ...; the nucleus keeps
        // the first three (0.56 + 0.21 = 0.77 < 0.8 <= 0.90), renormalised to about 0.63, 0.23, 0.14
        ReferenceSampler sampler = ReferenceSampler.of(1.0, 0.8, 0);
        SplittableRandom random = new SplittableRandom(42);
        int[] counts = new int[LOGITS.length];
        int draws = 40_000;
        for (int i = 0; i < draws; i++) {
            counts[sampler.sample(LOGITS, 0, LOGITS.length, random)]++;
        }
        double z = Math.exp(2) + Math.exp(1) + Math.exp(0.5);
        assertEquals(Math.exp(2) / z, counts[0] / (double) draws, 0.01);
        assertEquals(Math.exp(1) / z, counts[1] / (double) draws, 0.01);
        assertEquals(Math.exp(0.5) / z, counts[2] / (double) draws, 0.01);
        assertEquals(0, counts[3] + counts[4] + counts[5] + counts[6]);
    }

    @Test
    void lowTemperatureSharpensAndTheSameSeedRepeats() {
        ReferenceSampler cold = ReferenceSampler.of(0.1, 1.0, 0);
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);
        int zeros = 0;
        for (int i = 0; i < 1000; i++) {
            int x = cold.sample(LOGITS, 0, LOGITS.length, a);
            assertEquals(x, cold.sample(LOGITS, 0, LOGITS.length, b));
            zeros += x == 0 ? 1 : 0;
        }
        assertTrue(zeros > 990, "temperature 0.1 keeps almost all mass on the top token: " + zeros);
    }

    @Test
    void invalidSettingsNameTheParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReferenceSampler.of(0, 0.9, 0)).getMessage().contains("temperature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReferenceSampler.of(1, 1.5, 0)).getMessage().contains("topP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReferenceSampler.of(1, 0.9, -1)).getMessage().contains("topK"));
    }
}
