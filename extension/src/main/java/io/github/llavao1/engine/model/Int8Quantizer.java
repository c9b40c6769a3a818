package io.github.llavao1.engine.model;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * int8 weight-only quantization per output channel, symmetric, round to nearest (issue 23): each row w of a linear
 * map's weight gets scale s = max|w| / 127 rounded up to a bfloat16 value (the smallest one with 127·s ≥ max|w|), and
 * q = clamp(round(w / s), -127, 127), the quotient exact and ties to even as torch.round does; the map then computes
 * x·(q·s)ᵀ. The scale is a bfloat16 value because {@code aten::_weight_int8pack_mm} reads the scales in the
 * activations' dtype (bfloat16, see {@link Quantization.Int8}): so the kernel multiplies by exactly the scales the
 * values were rounded against, and rounding up keeps |w / s| ≤ 127 (the clamp never bites). A row of zeros gets scale
 * 1 (its values are 0 whatever the scale).
 */
final class Int8Quantizer {

    static final int MAX = 127;

    private Int8Quantizer() {
    }

    /**
     * Quantizes {@code rows} rows of {@code columns} floats from {@code in} (from its position 0) into {@code out}
     * (from its position 0, one byte a value) and their scales into {@code scales} from {@code firstScale}.
     *
     * @throws IllegalArgumentException when a row holds an infinite or NaN value, naming the row
     */
    static void quantizeRows(FloatBuffer in, int rows, int columns, ByteBuffer out, float[] scales, int firstScale) {
        for (int r = 0; r < rows; r++) {
            int base = r * columns;
            float maxAbs = 0f;
            for (int c = 0; c < columns; c++) {
                maxAbs = Math.max(maxAbs, Math.abs(in.get(base + c)));
            }
            if (!Float.isFinite(maxAbs)) {
                throw new IllegalArgumentException("row " + (firstScale + r) + " holds a non-finite value (" + maxAbs + ")");
            }
            float scale = scale(maxAbs);
            scales[firstScale + r] = scale;
            for (int c = 0; c < columns; c++) {
                out.put(base + c, quantize(in.get(base + c), scale));
            }
        }
    }

    /** The scale of a row whose largest magnitude is {@code maxAbs} (finite): the smallest bfloat16 s with 127·s ≥ maxAbs. */
    static float scale(float maxAbs) {
        if (maxAbs == 0f) {
            return 1f;
        }
        float scale = ceilToBfloat16(maxAbs / MAX);
        // maxAbs / 127 was rounded to a float: one bfloat16 step more when that rounding went below the quotient
        if ((double) scale * MAX < maxAbs) {
            scale = Float.intBitsToFloat(Float.floatToRawIntBits(scale) + 0x10000);
        }
        return scale;
    }

    /**
     * round(w / scale), ties to even, clamped to ±127. The quotient of two floats in double precision is never so close to
     * a tie that its rounding changes the result.
     */
    static byte quantize(float w, float scale) {
        return (byte) Math.max(-MAX, Math.min(MAX, Math.rint((double) w / scale)));
    }

    /** The smallest bfloat16 value (float32 with the low 16 bits clear) ≥ {@code positive}, a finite positive float. */
    static float ceilToBfloat16(float positive) {
        int bits = Float.floatToRawIntBits(positive);
        if ((bits & 0xFFFF) != 0) {
            bits = (bits & 0xFFFF0000) + 0x10000;
        }
        return Float.intBitsToFloat(bits);
    }
}
