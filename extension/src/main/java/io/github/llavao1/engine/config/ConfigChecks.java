package io.github.llavao1.engine.config;

import io.github.llavao1.engine.checkpoint.CheckpointException;
import java.util.List;

/** Invariant checks shared by the config records' compact constructors; messages name the JSON key. */
final class ConfigChecks {

    private ConfigChecks() {
    }

    static void positive(String key, long value) {
        if (value <= 0) {
            throw new CheckpointException(key + " must be positive, got " + value);
        }
    }

    static void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new CheckpointException(key + " must be a positive number, got " + value);
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new CheckpointException(message);
        }
    }

    static <T> List<T> nonNullList(String key, List<T> list) {
        if (list == null) {
            throw new CheckpointException(key + " is missing");
        }
        return List.copyOf(list);
    }

    /** Every index in {@code [0, limit)}, no repeats. */
    static void indicesWithin(String key, List<Integer> indices, int limit, String limitName) {
        for (int i = 0; i < indices.size(); i++) {
            int index = indices.get(i);
            if (index < 0 || index >= limit) {
                throw new CheckpointException(key + "[" + i + "] = " + index + " is outside [0, " + limitName + " = " + limit + ")");
            }
            if (indices.subList(0, i).contains(index)) {
                throw new CheckpointException(key + " lists " + index + " twice");
            }
        }
    }
}
