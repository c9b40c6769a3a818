package io.github.llavao1.engine.checkpoint;

import java.nio.ByteBuffer;

/** Element types a safetensors file may hold, with their on-disk width and conversion to float32. */
public enum TensorDType {
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Parses a safetensors dtype string ("F32", "BF16", ...); null when unknown. */
    static TensorDType parse(String name) {
        for (TensorDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Reads element {@code index} of a little-endian buffer of this type as float32 (bfloat16 widened by a 16-bit shift). */
    public float readFloat(ByteBuffer le, int index) {
        return switch (this) {
            case F32 -> le.getFloat(index * 4);
            case F16 -> halfToFloat(le.getShort(index * 2));
            case BF16 -> Float.intBitsToFloat((le.getShort(index * 2) & 0xFFFF) << 16);
            case I64 -> le.getLong(index * 8);
            case I32 -> le.getInt(index * 4);
            case I8 -> le.get(index);
            case U8 -> le.get(index) & 0xFF;
            case BOOL -> le.get(index) != 0 ? 1f : 0f;
        };
    }

    /** IEEE 754 binary16 to float32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
