package io.github.llavao1.engine.config;

import java.util.List;

/**
 * Invariant checks shared by the config records' compact constructors. Keys are relative to the record's own JSON
 * object; {@link JsonRecords} puts the object's path in front when it bound the record.
 */
final class ConfigChecks {

    private ConfigChecks() {
    }

    static void positive(String key, long value) {
        require(value > 0, key, " must be positive, got " + value);
    }

    static void positive(String key, double value) {
        require(value > 0 && !Double.isInfinite(value), key, " must be a positive number, got " + value);
    }

    /** @param problem what is wrong, as it reads after the key */
    static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw new ConfigException(key, problem);
        }
    }

    static <T> List<T> nonNullList(String key, List<T> list) {
        require(list != null, key, " is missing");
        return List.copyOf(list);
    }

    /** Every index in {@code [0, limit)}, no repeats. */
    static void indicesWithin(String key, List<Integer> indices, int limit, String limitName) {
        for (int i = 0; i < indices.size(); i++) {
            int index = indices.get(i);
            require(index >= 0 && index < limit, key, "[" + i + "] = " + index + " is outside [0, " + limitName + " = " + limit + ")");
            require(!indices.subList(0, i).contains(index), key, " lists " + index + " twice");
        }
    }
}
