package io.github.llavao1.engine.model;

import java.util.Locale;

/**
 * How the text decoder's linear maps are stored (issue 23): as checkpoint floats in the compute dtype, or quantized
 * while loading. Weight-only: activations, norms, attention and logits keep their dtype. Parsed from the
 * {@code quantization} setting; group-wise {@code int4:<group size>} is the next variant.
 */
public sealed interface Quantization permits Quantization.None, Quantization.Int8 {

    /** No quantization (the default): every weight in the compute dtype. */
    None NONE = new None();
    /** int8 per output channel. */
    Int8 INT8 = new Int8();

    /** Every weight in the compute dtype. */
    record None() implements Quantization {
        @Override
        public boolean fits(long columns) {
            return true;
        }

        @Override
        public long bytes(long rows, long columns, int elementBytes) {
            return rows * columns * elementBytes;
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /**
     * int8 per output channel, symmetric, round to nearest (see {@link Int8Quantizer}): one byte a weight and one
     * float32 scale a row, multiplied by {@code aten::_weight_int8pack_mm} with bfloat16 activations (the CPU
     * kernel's vector code is for bfloat16; float32 activations run its scalar code, ~17x slower).
     */
    record Int8() implements Quantization {
        /**
         * The CPU kernel's vector loops step through K 16 values at a time with no remainder loop (libtorch 2.7.1's
         * int8mm_kernel.cpp): other widths would read past each row, so those maps stay in the compute dtype (none of
         * LLaVA-o1's: its K are 4096 and 14336).
         */
        static final int COLUMN_STEP = 16;

        @Override
        public boolean fits(long columns) {
            return columns % COLUMN_STEP == 0;
        }

        /** One byte a weight and a float32 scale a row. */
        @Override
        public long bytes(long rows, long columns, int elementBytes) {
            return fits(columns) ? rows * columns + rows * 4L : rows * columns * elementBytes;
        }

        @Override
        public String toString() {
            return "int8";
        }
    }

    /**
     * Whether a linear map with {@code columns} input features (K) is stored this way; the others stay in the compute
     * dtype.
     */
    boolean fits(long columns);

    /**
     * Bytes a linear map's weight of {@code rows} × {@code columns} takes stored this way (values and scales, or the
     * compute dtype where it does not {@link #fits fit}), with {@code elementBytes} a compute-dtype element.
     */
    long bytes(long rows, long columns, int elementBytes);

    /**
     * "none" or "int8" (case and surrounding blanks ignored; null is none).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    static Quantization parse(String value) {
        String name = value == null ? "none" : value.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "none" -> NONE;
            case "int8" -> INT8;
            default -> throw new IllegalArgumentException("must be none or int8, got '" + value + "'");
        };
    }
}
