package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.djl.Device;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The CPU's small-batch form of {@link Ops#linear} (W · xᵀ) against libtorch's linear on the same inputs. */
class OpsTest {

    @Test
    void smallBatchLinearEqualsTheGeneralFormAndLeavesTheInputIntact() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            NDArray weight = random(manager, 7, new Shape(24, 20));
            // 1, 2 and 32 rows take the small-batch branch; 33 and 60 rows the general one
            for (long[] shape : new long[][] {{1, 1, 20}, {2, 1, 20}, {4, 8, 20}, {3, 11, 20}, {60, 20}}) {
                NDArray x = random(manager, shape.length + shape[0], new Shape(shape));
                NDArray general = x.getNDArrayInternal().linear(x, weight, null).singletonOrThrow();
                NDArray first = Ops.linear(x, weight, null);
                // a second map over the same input: the input's shape must be what it was
                NDArray second = Ops.linear(x, weight, null);
                assertArrayEquals(shape, x.getShape().getShape(), "input shape after Ops.linear");
                assertArrayEquals(general.getShape().getShape(), first.getShape().getShape());
                assertArrayEquals(general.getShape().getShape(), second.getShape().getShape());
                float diff = maxAbsDiff(general.toFloatArray(), first.toFloatArray());
                assertTrue(diff < 1e-5, java.util.Arrays.toString(shape) + ": small-batch form differs by " + diff);
                assertArrayEquals(first.toFloatArray(), second.toFloatArray());
            }
        }
    }

    private static NDArray random(NDManager manager, long seed, Shape shape) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return manager.create(values, shape);
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff;
    }
}
