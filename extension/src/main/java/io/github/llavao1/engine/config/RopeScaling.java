package io.github.llavao1.engine.config;

import static io.github.llavao1.engine.config.ConfigChecks.positive;
import static io.github.llavao1.engine.config.ConfigChecks.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.checkpoint.CheckpointException;

/**
 * Rotary position embedding parameters of the text model: the base {@code theta} and a frequency scaling (ports
 * transformers' {@code _compute_default_rope_parameters}, {@code _compute_llama3_parameters},
 * {@code _compute_linear_scaling_rope_parameters} and {@code _compute_dynamic_ntk_parameters}). {@code factor} is
 * meaningful for "llama3", "linear" and "dynamic", the other scaling fields only for "llama3"; unused ones are 1, 1,
 * 1, 0 as for "default".
 *
 * <p>"dynamic" (NTK-aware) rescales the base only once a sequence grows past {@code max_position_embeddings}; at
 * initialisation transformers computes {@code theta * (factor * L / L - (factor - 1))^(d / (d - 2)) = theta}, and the
 * engine never reads past {@code max_position_embeddings}, so within the context its frequencies are the default ones.
 */
public record RopeScaling(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositionEmbeddings) {

    public static final String DEFAULT = "default";
    public static final String LLAMA3 = "llama3";
    public static final String LINEAR = "linear";
    public static final String DYNAMIC = "dynamic";
    private static final String SUPPORTED = "\"default\", \"llama3\", \"linear\" and \"dynamic\"";

    public RopeScaling {
        require(DEFAULT.equals(type) || LLAMA3.equals(type) || LINEAR.equals(type) || DYNAMIC.equals(type),
                "text_config.rope_scaling.rope_type \"" + type + "\" is not supported (only " + SUPPORTED + ")");
        positive("text_config.rope_theta", theta);
        if (LINEAR.equals(type) || DYNAMIC.equals(type)) {
            require(factor >= 1, "text_config.rope_scaling.factor must be >= 1 for rope_type \"" + type + "\", got " + factor);
        }
        if (LLAMA3.equals(type)) {
            positive("text_config.rope_scaling.factor", factor);
            positive("text_config.rope_scaling.low_freq_factor", lowFreqFactor);
            require(highFreqFactor > lowFreqFactor, "text_config.rope_scaling.high_freq_factor (" + highFreqFactor
                    + ") must be greater than low_freq_factor (" + lowFreqFactor + ")");
            positive("text_config.rope_scaling.original_max_position_embeddings", originalMaxPositionEmbeddings);
        }
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
     * Reads the rope fields of {@code text_config}: transformers 5 {@code rope_parameters{rope_theta, rope_type…}}
     * or transformers 4.45 {@code rope_theta} + {@code rope_scaling{rope_type|type…}}; no scaling means default.
     */
    static RopeScaling parse(JsonNode text) {
        String prefix = "text_config";
        JsonNode parameters = JsonFields.optionalObject(text, prefix, "rope_parameters");
        if (parameters != null) {
            String where = prefix + ".rope_parameters";
            double theta = JsonFields.requiredDouble(parameters, where, "rope_theta");
            return scaling(parameters, where, theta);
        }
        double theta = JsonFields.requiredDouble(text, prefix, "rope_theta");
        JsonNode scaling = JsonFields.optionalObject(text, prefix, "rope_scaling");
        return scaling == null ? plain(theta) : scaling(scaling, prefix + ".rope_scaling", theta);
    }

    private static RopeScaling scaling(JsonNode node, String where, double theta) {
        String type = JsonFields.optionalText(node, where, "rope_type");
        if (type == null) {
            type = JsonFields.optionalText(node, where, "type");
        }
        if (type == null || DEFAULT.equals(type)) {
            return plain(theta);
        }
        if (LINEAR.equals(type) || DYNAMIC.equals(type)) {
            return new RopeScaling(type, theta, JsonFields.requiredDouble(node, where, "factor"), 1, 1, 0);
        }
        if (!LLAMA3.equals(type)) {
            throw new CheckpointException(where + ".rope_type \"" + type + "\" is not supported (only " + SUPPORTED + ")");
        }
        return new RopeScaling(type, theta,
                JsonFields.requiredDouble(node, where, "factor"),
                JsonFields.requiredDouble(node, where, "low_freq_factor"),
                JsonFields.requiredDouble(node, where, "high_freq_factor"),
                JsonFields.requiredInt(node, where, "original_max_position_embeddings"));
    }

    /** Writes the transformers 4.45 layout ({@code rope_theta} and, for llama3, {@code rope_scaling}) into {@code text}. */
    void writeLegacy(ObjectNode text) {
        text.put("rope_theta", theta);
        if (LINEAR.equals(type) || DYNAMIC.equals(type)) {
            ObjectNode scaling = text.putObject("rope_scaling");
            scaling.put("factor", factor);
            scaling.put("rope_type", type);
        } else if (LLAMA3.equals(type)) {
            ObjectNode scaling = text.putObject("rope_scaling");
            scaling.put("factor", factor);
            scaling.put("high_freq_factor", highFreqFactor);
            scaling.put("low_freq_factor", lowFreqFactor);
            scaling.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
            scaling.put("rope_type", type);
        }
    }
}
