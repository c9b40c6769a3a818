package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rotary position embedding parameters of the text model: the base {@code theta} and a frequency scaling (ports
 * transformers' {@code _compute_default_rope_parameters}, {@code _compute_llama3_parameters},
 * {@code _compute_linear_scaling_rope_parameters} and {@code _compute_dynamic_ntk_parameters}), bound from
 * {@code text_config.rope_parameters} ({@link TextConfig} turns the 4.45 layout into that one). {@code factor} is
 * required for "llama3", "linear" and "dynamic", the other scaling fields only for "llama3"; unused ones are 1, 1,
 * 1, 0 as for "default" (an absent factor reads as NaN until then).
 *
 * <p>"dynamic" (NTK-aware) rescales the base only once a sequence grows past {@code max_position_embeddings}; at
 * initialisation transformers computes {@code theta * (factor * L / L - (factor - 1))^(d / (d - 2)) = theta}, and the
 * engine never reads past {@code max_position_embeddings}, so within the context its frequencies are the default ones.
 */
public record RopeScaling(
        @JsonProperty(value = "rope_type", defaultValue = "default") @JsonAlias("type") String type,
        @JsonProperty("rope_theta") double theta,
        @JsonProperty(value = "factor", defaultValue = "NaN") double factor,
        @JsonProperty(value = "low_freq_factor", defaultValue = "NaN") double lowFreqFactor,
        @JsonProperty(value = "high_freq_factor", defaultValue = "NaN") double highFreqFactor,
        @JsonProperty(value = "original_max_position_embeddings", defaultValue = "0") int originalMaxPositionEmbeddings) {

    public static final String DEFAULT = "default";
    public static final String LLAMA3 = "llama3";
    public static final String LINEAR = "linear";
    public static final String DYNAMIC = "dynamic";
    private static final String SUPPORTED = "\"default\", \"llama3\", \"linear\" and \"dynamic\"";

    public RopeScaling {
        boolean llama3 = LLAMA3.equals(type);
        boolean scaled = llama3 || LINEAR.equals(type) || DYNAMIC.equals(type);
        require(scaled || DEFAULT.equals(type), "rope_type", " \"" + type + "\" is not supported (only " + SUPPORTED + ")");
        positive("rope_theta", theta);
        factor = given("factor", factor, scaled);
        lowFreqFactor = given("low_freq_factor", lowFreqFactor, llama3);
        highFreqFactor = given("high_freq_factor", highFreqFactor, llama3);
        if (scaled && !llama3) {
            require(factor >= 1, "factor", " must be >= 1 for rope_type \"" + type + "\", got " + factor);
        }
        if (llama3) {
            positive("factor", factor);
            positive("low_freq_factor", lowFreqFactor);
            require(highFreqFactor > lowFreqFactor, "high_freq_factor", " (" + highFreqFactor
                    + ") must be greater than low_freq_factor (" + lowFreqFactor + ")");
            positive("original_max_position_embeddings", originalMaxPositionEmbeddings);
        } else {
            originalMaxPositionEmbeddings = 0;
        }
    }

    /** A scaling value: required (not NaN) where {@code used}, else 1 whatever was given. */
    private static double given(String key, double value, boolean used) {
        require(!used || !Double.isNaN(value), key, " is missing");
        return used ? value : 1;
    }

    /** Unscaled rotary embedding with base {@code theta}. */
    public static RopeScaling plain(double theta) {
        return new RopeScaling(DEFAULT, theta, 1, 1, 1, 0);
    }

    /**
     * Inverse frequencies {@code [headDim/2]} computed step by step in float32, the way transformers does it in
     * torch: {@code 1 / theta^(2i/d)}, then for llama3 low frequencies divided by {@code factor}, high ones kept,
     * and the band between interpolated by the smooth factor.
     */
    public float[] inverseFrequencies(int headDim) {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("rotary head dimension must be positive and even, got " + headDim);
        }
        float[] inv = new float[headDim / 2];
        float base = (float) theta;
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            inv[i] = 1.0f / (float) Math.pow(base, exponent);
        }
        if (DEFAULT.equals(type) || DYNAMIC.equals(type)) {
            return inv;
        }
        float scale = (float) factor;
        if (LINEAR.equals(type)) {
            for (int i = 0; i < inv.length; i++) {
                inv[i] = inv[i] / scale;
            }
            return inv;
        }
        float low = (float) lowFreqFactor;
        // python subtracts the two factors in double before torch sees the result
        float band = (float) (highFreqFactor - lowFreqFactor);
        float oldContext = originalMaxPositionEmbeddings;
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
            float wavelen = (float) (2 * Math.PI) / inv[i];
            if (wavelen > lowFreqWavelen) {
                // long wavelengths (beyond the original context): plain interpolation
                inv[i] = inv[i] / scale;
            } else if (wavelen >= highFreqWavelen) {
                // the band between: blend the scaled and unscaled frequency
                float smooth = (oldContext / wavelen - low) / band;
                inv[i] = (1 - smooth) * inv[i] / scale + smooth * inv[i];
            }
        }
        return inv;
    }

    /**
     * Writes the transformers 4.45 layout into {@code text}: {@code rope_theta}, and the rest as {@code rope_scaling}
     * unless the type is "default".
     */
    void writeLegacy(ObjectNode text) {
        ObjectNode parameters = JsonRecords.writeObject(this);
        text.set("rope_theta", parameters.remove("rope_theta"));
        if (!DEFAULT.equals(type)) {
            text.set("rope_scaling", parameters);
        }
    }
}
