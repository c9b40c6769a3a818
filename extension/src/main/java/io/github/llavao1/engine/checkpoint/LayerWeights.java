package io.github.llavao1.engine.checkpoint;

import io.github.llavao1.engine.checkpoint.WeightSpec.Kind;
import io.github.llavao1.engine.config.TextConfig;
import io.github.llavao1.engine.config.VisionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Each layer kind's weights, described once. A constant is one entry of the layer's list in the TorchScript program
 * and lists the checkpoint tensors the entry is built from: the name under the layer's prefix, the shape the config
 * implies and the role. Several tensors are fused along dim 0 into one entry (q|k|v, gate|up); a tensor marked
 * {@code attentionScaled} gets 1/sqrt(head_dim) folded in on load. Gates are read as scalars and reach the scripts as
 * module attributes, so they are no list entries. TextDecoder.py and VisionEncoder.py declare one index per entry at
 * their top ({@code SELF_QKV_PROJ : int}), which Java sets from the entry's position here (LayerWeightsScriptTest
 * checks the names agree). The model (engine.model's WeightLoader) loads from these, and
 * {@link WeightNames#expectedTensors} (the checkpoint check, RandomCheckpoint, the memory check) lists them; they
 * live in this package, not beside the blocks in engine.model, because the checkpoint is checked against them when it
 * opens and engine.model depends on this package. A weight stored quantized stays one entry (values and scales
 * together); {@link Entry#isQuantizable()} says which are.
 */
public final class LayerWeights {

    private LayerWeights() {
    }

    /** One checkpoint tensor of an entry; {@code shape} gives its shape from the config. */
    public record Tensor<C>(String suffix, Kind kind, boolean attentionScaled, Function<C, long[]> shape) {

        /** The canonical checkpoint name in the layer whose names start with {@code layerPrefix}. */
        public String name(String layerPrefix) {
            return layerPrefix + suffix;
        }
    }

    /** One entry of a layer's script list, or a gate. */
    public interface Entry<C> {

        /** The entry's name; the scripts name its index {@code <layer kind prefix>_<name>}. */
        String name();

        /** The checkpoint tensors this entry is built from, in fusing order. */
        List<Tensor<C>> tensors();

        /** A scalar gate (read on the heap, passed to the script as an attribute) rather than a list entry. */
        default boolean isGate() {
            return tensors().get(0).kind() == Kind.GATE;
        }

        /**
         * A linear map run on every token, which the {@code quantization} setting stores quantized (issue 23): every
         * entry whose tensors are all {@link Kind#LINEAR}, unless its kind says otherwise.
         */
        default boolean isQuantizable() {
            for (Tensor<C> tensor : tensors()) {
                if (tensor.kind() != Kind.LINEAR) {
                    return false;
                }
            }
            return true;
        }
    }

    /** MllamaSelfAttentionDecoderLayer: pre-norm self-attention and SwiGLU MLP; TextDecoder.py's {@code SELF_*}. */
    public enum SelfAttentionDecoderLayer implements Entry<TextConfig> {
        INPUT_LAYERNORM(textNorm("input_layernorm.weight")),
        /** q|k|v fused into [(H + 2·KV)·hd, D], 1/sqrt(head_dim) folded into the q rows */
        QKV_PROJ(scaled(text("self_attn.q_proj.weight", Kind.LINEAR, c -> shape(q(c), c.hiddenSize()))),
                text("self_attn.k_proj.weight", Kind.LINEAR, c -> shape(kv(c), c.hiddenSize())),
                text("self_attn.v_proj.weight", Kind.LINEAR, c -> shape(kv(c), c.hiddenSize()))),
        O_PROJ(text("self_attn.o_proj.weight", Kind.LINEAR, c -> shape(c.hiddenSize(), q(c)))),
        POST_ATTENTION_LAYERNORM(textNorm("post_attention_layernorm.weight")),
        /** gate|up fused into [2·F, D] */
        GATE_UP_PROJ(mlpGateProj(), mlpUpProj()),
        DOWN_PROJ(mlpDownProj());

        private final List<Tensor<TextConfig>> tensors;

        @SafeVarargs
        SelfAttentionDecoderLayer(Tensor<TextConfig>... tensors) {
            this.tensors = List.of(tensors);
        }

        @Override
        public List<Tensor<TextConfig>> tensors() {
            return tensors;
        }
    }

    /**
     * MllamaCrossAttentionDecoderLayer: tanh-gated cross-attention to the image and a tanh-gated MLP; TextDecoder.py's
     * {@code CROSS_*}. k_proj, k_norm and v_proj make the image's keys and values once per request.
     */
    public enum CrossAttentionDecoderLayer implements Entry<TextConfig> {
        INPUT_LAYERNORM(textNorm("input_layernorm.weight")),
        Q_PROJ(text("cross_attn.q_proj.weight", Kind.LINEAR, c -> shape(q(c), c.hiddenSize()))),
        K_PROJ(text("cross_attn.k_proj.weight", Kind.LINEAR, c -> shape(kv(c), c.hiddenSize()))),
        V_PROJ(text("cross_attn.v_proj.weight", Kind.LINEAR, c -> shape(kv(c), c.hiddenSize()))),
        O_PROJ(text("cross_attn.o_proj.weight", Kind.LINEAR, c -> shape(c.hiddenSize(), q(c)))),
        /** per-head RMSNorm of the queries, 1/sqrt(head_dim) folded in */
        Q_NORM(scaled(text("cross_attn.q_norm.weight", Kind.NORM_WEIGHT, c -> shape(c.headDim())))),
        K_NORM(text("cross_attn.k_norm.weight", Kind.NORM_WEIGHT, c -> shape(c.headDim()))),
        POST_ATTENTION_LAYERNORM(textNorm("post_attention_layernorm.weight")),
        GATE_UP_PROJ(mlpGateProj(), mlpUpProj()),
        DOWN_PROJ(mlpDownProj()),
        CROSS_ATTN_ATTN_GATE(text("cross_attn_attn_gate", Kind.GATE, c -> shape(1))),
        CROSS_ATTN_MLP_GATE(text("cross_attn_mlp_gate", Kind.GATE, c -> shape(1)));

        private final List<Tensor<TextConfig>> tensors;

        @SafeVarargs
        CrossAttentionDecoderLayer(Tensor<TextConfig>... tensors) {
            this.tensors = List.of(tensors);
        }

        @Override
        public List<Tensor<TextConfig>> tensors() {
            return tensors;
        }

        /**
         * k_proj and v_proj stay in the compute dtype: they run once per image, on every image position at once (a
         * GEMM float32 does well), not per token, and are under 1% of the text weights.
         */
        @Override
        public boolean isQuantizable() {
            return this != K_PROJ && this != V_PROJ && Entry.super.isQuantizable();
        }
    }

    /**
     * MllamaVisionEncoderLayer: pre-norm attention and a CLIP MLP (fc1 → GELU → fc2); in the global encoder each
     * block's output is scaled by tanh(gate_attn) / tanh(gate_ffn). VisionEncoder.py's {@code LAYER_*}.
     */
    public enum VisionEncoderLayer implements Entry<VisionConfig> {
        INPUT_LAYERNORM_WEIGHT(vision("input_layernorm.weight", Kind.NORM_WEIGHT, c -> shape(c.hiddenSize()))),
        INPUT_LAYERNORM_BIAS(vision("input_layernorm.bias", Kind.NORM_BIAS, c -> shape(c.hiddenSize()))),
        /** q|k|v fused into [3·D, D], 1/sqrt(head_dim) folded into the q rows */
        QKV_PROJ(scaled(visionSquare("self_attn.q_proj.weight")), visionSquare("self_attn.k_proj.weight"),
                visionSquare("self_attn.v_proj.weight")),
        O_PROJ(visionSquare("self_attn.o_proj.weight")),
        POST_ATTENTION_LAYERNORM_WEIGHT(vision("post_attention_layernorm.weight", Kind.NORM_WEIGHT, c -> shape(c.hiddenSize()))),
        POST_ATTENTION_LAYERNORM_BIAS(vision("post_attention_layernorm.bias", Kind.NORM_BIAS, c -> shape(c.hiddenSize()))),
        FC1_WEIGHT(vision("mlp.fc1.weight", Kind.LINEAR, c -> shape(c.intermediateSize(), c.hiddenSize()))),
        FC1_BIAS(vision("mlp.fc1.bias", Kind.BIAS, c -> shape(c.intermediateSize()))),
        FC2_WEIGHT(vision("mlp.fc2.weight", Kind.LINEAR, c -> shape(c.hiddenSize(), c.intermediateSize()))),
        FC2_BIAS(vision("mlp.fc2.bias", Kind.BIAS, c -> shape(c.hiddenSize()))),
        /** global layers only */
        GATE_ATTN(vision("gate_attn", Kind.GATE, c -> shape(1))),
        /** global layers only */
        GATE_FFN(vision("gate_ffn", Kind.GATE, c -> shape(1)));

        private final List<Tensor<VisionConfig>> tensors;

        @SafeVarargs
        VisionEncoderLayer(Tensor<VisionConfig>... tensors) {
            this.tensors = List.of(tensors);
        }

        @Override
        public List<Tensor<VisionConfig>> tensors() {
            return tensors;
        }
    }

    /** A text layer's entries: a cross-attention layer's or a self-attention layer's. */
    public static List<? extends Entry<TextConfig>> decoderLayer(boolean cross) {
        return List.of(cross ? CrossAttentionDecoderLayer.values() : SelfAttentionDecoderLayer.values());
    }

    /** The names of the list entries among {@code entries} (gates left out), in list order. */
    public static List<String> listEntryNames(Entry<?>[] entries) {
        List<String> names = new ArrayList<>();
        for (Entry<?> entry : entries) {
            if (!entry.isGate()) {
                names.add(entry.name());
            }
        }
        return names;
    }

    private static Tensor<TextConfig> text(String suffix, Kind kind, Function<TextConfig, long[]> shape) {
        return new Tensor<>(suffix, kind, false, shape);
    }

    private static Tensor<TextConfig> textNorm(String suffix) {
        return text(suffix, Kind.NORM_WEIGHT, c -> shape(c.hiddenSize()));
    }

    private static Tensor<TextConfig> mlpGateProj() {
        return text("mlp.gate_proj.weight", Kind.LINEAR, c -> shape(c.intermediateSize(), c.hiddenSize()));
    }

    private static Tensor<TextConfig> mlpUpProj() {
        return text("mlp.up_proj.weight", Kind.LINEAR, c -> shape(c.intermediateSize(), c.hiddenSize()));
    }

    private static Tensor<TextConfig> mlpDownProj() {
        return text("mlp.down_proj.weight", Kind.LINEAR, c -> shape(c.hiddenSize(), c.intermediateSize()));
    }

    private static Tensor<VisionConfig> vision(String suffix, Kind kind, Function<VisionConfig, long[]> shape) {
        return new Tensor<>(suffix, kind, false, shape);
    }

    private static Tensor<VisionConfig> visionSquare(String suffix) {
        return vision(suffix, Kind.LINEAR, c -> shape(c.hiddenSize(), c.hiddenSize()));
    }

    private static <C> Tensor<C> scaled(Tensor<C> tensor) {
        return new Tensor<>(tensor.suffix(), tensor.kind(), true, tensor.shape());
    }

    /** query width H·hd */
    private static long q(TextConfig c) {
        return (long) c.numAttentionHeads() * c.headDim();
    }

    /** key/value width KV·hd */
    private static long kv(TextConfig c) {
        return (long) c.numKeyValueHeads() * c.headDim();
    }

    private static long[] shape(long... dims) {
        return dims;
    }
}
