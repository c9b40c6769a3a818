package io.github.llavao1.validation;

/**
 * The sampling settings' checks, in one wording wherever a setting enters: the engine's {@code GenerationOptions},
 * the search's {@code ReasoningSettings} and {@code Sampling}, a LangChain4j request. Each names the field as the
 * caller's API spells it.
 */
public final class SamplingChecks {

    private SamplingChecks() {
    }

    /** A softmax temperature: finite and >= 0, where 0 means greedy. */
    public static void temperature(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidSettingException(field, "must be a finite number >= 0 (0 = greedy), was " + value);
        }
    }

    /** A nucleus mass: in (0, 1], where 1 keeps every token. */
    public static void topP(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new InvalidSettingException(field, "must be in (0, 1], was " + value);
        }
    }

    /** A top-k cut: >= 0, where 0 is off; null (unset) passes. */
    public static void topK(String field, Integer value) {
        if (value != null && value < 0) {
            throw new InvalidSettingException(field, "must be >= 0 (0 = off), was " + value);
        }
    }
}
