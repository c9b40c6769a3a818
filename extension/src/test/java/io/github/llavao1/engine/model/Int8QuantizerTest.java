package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.testing.Fixtures;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * int8 per output channel (issue 23): the quantization equals a plain-Java reference exactly (scales and rounding,
 * worked out in exact decimal arithmetic), and TextDecoder.py's quantized linear map (aten::_weight_int8pack_mm with
 * bfloat16 activations) equals the float32 product with the dequantized weights within the rounding it does.
 */
class Int8QuantizerTest {

    private static Checkpoint checkpoint;
    private static MllamaModel model;

    @BeforeAll
    static void load() {
        checkpoint = Checkpoint.open(Fixtures.goldenCheckpoint());
        model = MllamaModel.load(checkpoint, ComputeContext.create("cpu", "auto", Quantization.INT8), (tensor, bytes) -> { });
    }

    @AfterAll
    static void close() {
        model.close();
        checkpoint.close();
    }

    @Test
    void scalesAndValuesEqualThePlainJavaReference() {
        int columns = 97;
        float[][] rows = new float[9][columns];
        SplittableRandom random = new SplittableRandom(3);
        for (int c = 0; c < columns; c++) {
            rows[0][c] = (float) (random.nextGaussian() * 0.02);
            rows[1][c] = (float) (random.nextGaussian() * 3e-5);
            rows[2][c] = (float) (random.nextGaussian() * 40);
            // row 3 all zeros
            rows[4][c] = c == 5 ? -1000f : (float) random.nextGaussian();
            rows[6][c] = (float) random.nextGaussian() * 1e-30f;
        }
        // ties: with max 127 the scale is 1, so halves round to even
        for (int c = 0; c < columns; c++) {
            rows[5][c] = c == 0 ? 127f : (c % 8) - 3.5f;
        }
        // largest magnitudes just above a bfloat16 step times 127
        rows[7][0] = Math.nextUp(127f * 0.0078125f);
        rows[8][3] = -Math.nextUp(127f * 3.0517578e-5f);
        FloatBuffer in = ByteBuffer.allocateDirect(rows.length * columns * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (float[] row : rows) {
            in.put(row);
        }
        ByteBuffer out = ByteBuffer.allocateDirect(rows.length * columns);
        float[] scales = new float[rows.length + 2];
        Int8Quantizer.quantizeRows(in, rows.length, columns, out, scales, 2);
        for (int r = 0; r < rows.length; r++) {
            float expectedScale = referenceScale(rows[r]);
            assertEquals(expectedScale, scales[r + 2], "row " + r + " scale");
            for (int c = 0; c < columns; c++) {
                assertEquals(referenceValue(rows[r][c], expectedScale), out.get(r * columns + c), "row " + r + " column " + c);
            }
        }
        assertEquals(1f, scales[3 + 2], "a row of zeros");
        assertEquals(-4, out.get(5 * columns + 8), "-3.5 rounds to even");
        assertEquals(0, out.get(5 * columns + 4), "0.5 rounds to even");
    }

    @Test
    void aNonFiniteWeightIsRefusedNamingItsRow() {
        FloatBuffer in = FloatBuffer.wrap(new float[] {1, 2, Float.NaN, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Int8Quantizer.quantizeRows(in, 2, 2, ByteBuffer.allocate(4), new float[2], 0));
        assertTrue(e.getMessage().startsWith("row 1 holds a non-finite value"), e.getMessage());
    }

    /**
     * One pass of TextDecoder.py's linear against the exact product with the dequantized weights, x [B, T, K] with
     * B·T = M rows, at the shapes of LLaVA-o1's self-attention q|k|v [6144, 4096] and MLP down [4096, 14336] and of
     * the bench's mid config. The kernel rounds x to bfloat16 (relative 2^-9 each), sums in float32 (at most K·2^-24
     * relative, 0.00085 at K = 14336) and rounds the result to bfloat16 (2^-9): within 2^-8·Σ|x·w| + 2^-8·|y|.
     */
    @ParameterizedTest(name = "[{0}, {1}] x {2} rows as [{3}, M/{3}]")
    @CsvSource({"6144, 4096, 1, 1", "6144, 4096, 4, 4", "6144, 4096, 32, 1", "4096, 14336, 1, 1", "4096, 14336, 4, 1",
        "4096, 14336, 32, 4", "1536, 512, 4, 4", "512, 1408, 32, 1"})
    void theQuantizedLinearEqualsTheDequantizedProduct(int n, int k, int m, int batch) {
        SplittableRandom random = new SplittableRandom(n * 31L + k);
        FloatBuffer weights = ByteBuffer.allocateDirect(n * k * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n * k; i++) {
            weights.put(i, (float) (random.nextGaussian() * 0.02));
        }
        ByteBuffer values = ByteBuffer.allocateDirect(n * k).order(ByteOrder.nativeOrder());
        float[] scales = new float[n];
        Int8Quantizer.quantizeRows(weights, n, k, values, scales, 0);
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] y;
        try (NDManager step = model.context().manager().newSubManager()) {
            Weight.Int8 weight = new Weight.Int8(step.create(values, new Shape(n, k), DataType.INT8), step.create(scales));
            NDArray out = model.languageModel().script().linear(step, step.create(x, new Shape(batch, m / batch, k)), weight);
            assertEquals(new Shape(batch, m / batch, n), out.getShape());
            assertEquals(DataType.FLOAT32, out.getDataType());
            y = out.toFloatArray();
        }
        float worst = 0;
        for (int row = 0; row < m; row++) {
            for (int col = 0; col < n; col++) {
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < k; i++) {
                    double term = (double) x[row * k + i] * values.get(col * k + i) * scales[col];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                double bound = 0x1p-8 * magnitude + 0x1p-8 * Math.abs(exact);
                double diff = Math.abs(y[row * n + col] - exact);
                assertTrue(diff <= bound, "row " + row + " column " + col + ": " + y[row * n + col] + " vs " + exact);
                worst = (float) Math.max(worst, diff / bound);
            }
        }
        // and no looser than it must be: the kernel did round (the check is not vacuous) yet stays well inside
        assertTrue(worst < 0.5f, "worst error " + worst + " of the bound");
    }

    /** The smallest bfloat16 value s (float32 with its low 16 bits clear) with 127·s ≥ max|row|, by binary search; 1 for zeros. */
    private static float referenceScale(float[] row) {
        double max = 0;
        for (float w : row) {
            max = Math.max(max, Math.abs(w));
        }
        if (max == 0) {
            return 1f;
        }
        int low = 1;
        int high = 0x7F7F;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (new BigDecimal(bfloat16(mid)).multiply(BigDecimal.valueOf(127)).compareTo(new BigDecimal(max)) >= 0) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return bfloat16(low);
    }

    private static float bfloat16(int bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** w / s in exact decimal arithmetic, rounded half to even, clamped to ±127. */
    private static byte referenceValue(float w, float s) {
        BigDecimal q = new BigDecimal(w).divide(new BigDecimal(s), new MathContext(60, RoundingMode.HALF_EVEN))
                .setScale(0, RoundingMode.HALF_EVEN);
        return (byte) Math.max(-127, Math.min(127, q.intValueExact()));
    }
}
