package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.github.llavao1.engine.checkpoint.LayerWeights;
import io.github.llavao1.engine.config.TextConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The text decoder's forward pass as one TorchScript call: {@code TextDecoder.py} (next to this class, a port of
 * MllamaTextModel block by block) is wrapped in an archive that libtorch compiles when the model loads, bound to the
 * model's own weights, the sessions' KV-cache tensors (written in place) and the request's image K/V. A decode step
 * is a handful of calls from Java instead of a few thousand. Thread-safe: the module and the weights list are
 * read-only; each call gets its own cache.
 */
final class TextDecoderScript implements AutoCloseable {

    private static final String SOURCE = "TextDecoder.py";
    /** c10::ScalarType::BFloat16 */
    private static final int SCALAR_TYPE_BFLOAT16 = 15;

    private final PtSymbolBlock module;
    private final IValue weights;
    private final IValue layers;
    private final IValue noImage;
    private final LongAdder nativeCalls = new LongAdder();
    /**
     * @param weights the model's own tensors by the names of their indices in TextDecoder.py
     * @param layers the decoder's layers: their kinds, gates and weights
     */
    TextDecoderScript(TextConfig config, ComputeContext context, Map<String, Weight> weights, List<DecoderLayer> layers) {
        List<Boolean> layerIsCross = new ArrayList<>();
        List<Double> attnGates = new ArrayList<>();
        List<Double> mlpGates = new ArrayList<>();
        for (DecoderLayer layer : layers) {
            layerIsCross.add(layer instanceof CrossAttentionDecoderLayer);
            if (layer instanceof CrossAttentionDecoderLayer cross) {
                attnGates.add((double) cross.crossAttnAttnGate());
                mlpGates.add((double) cross.crossAttnMlpGate());
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("hidden_size", config.hiddenSize());
        attributes.put("num_heads", config.numAttentionHeads());
        attributes.put("num_kv_heads", config.numKeyValueHeads());
        attributes.put("head_dim", config.headDim());
        attributes.put("rms_norm_eps", config.rmsNormEps());
        attributes.put("mask_value", (double) context.maskValue());
        // the archive's code names dtypes by their c10::ScalarType number
        attributes.put("bfloat16", SCALAR_TYPE_BFLOAT16);
        attributes.put("layer_is_cross", layerIsCross);
        attributes.put("cross_attn_attn_gates", attnGates);
        attributes.put("cross_attn_mlp_gates", mlpGates);
        TorchScriptArchive.putIndices(attributes, "", weights.keySet());
        TorchScriptArchive.putIndices(attributes, "SELF_", LayerWeights.listEntryNames(LayerWeights.SelfAttentionDecoderLayer.values()));
        TorchScriptArchive.putIndices(attributes, "CROSS_", LayerWeights.listEntryNames(LayerWeights.CrossAttentionDecoderLayer.values()));
        this.module = TorchScriptArchive.compile(context, TextDecoderScript.class, SOURCE, "TextDecoder", attributes);
        this.weights = TorchScriptArchive.weightList(List.copyOf(weights.values()));
        this.layers = TorchScriptArchive.weightLists(layers.stream().map(DecoderLayer::weights).toList());
        this.noImage = IValue.listFrom(new PtNDArray[0]);
        // freed with the model
        ((PtNDManager) context.manager()).attachInternal("text-decoder-script-" + java.util.UUID.randomUUID(), this);
    }

    /** What a pass returns: TextDecoder.py's methods. */
    enum Output {
        /** float32 logits [B, 1, vocab] of the last position */
        LAST_LOGITS("last_logits"),
        /** float32 logits [B, T, vocab] */
        ALL_LOGITS("all_logits"),
        /** the last position's argmax per row, int64 [B] */
        GREEDY("greedy"),
        /** the last position's sampled token per row, int64 [B] (TextDecoder.py's draw) */
        SAMPLE("sample");

        final String method;

        Output(String method) {
            this.method = method;
        }
    }

    /**
     * One forward pass; the cache must already have room for the new tokens (it does not advance here).
     *
     * @param ids [B, T] int64 token ids
     * @param cross the image inputs, or null for a text-only pass
     * @param sampling for {@link Output#SAMPLE}: draw's settings and one uniform per row; else ignored
     * @return logits or token ids (see {@link Output}), in {@code step}
     */
    NDArray forward(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross, Output output, double[] sampling) {
        TorchScriptArchive.usePlainExecutor();
        IValue idsValue = counted(IValue.from((PtNDArray) ids));
        IValue start = counted(IValue.from((long) cache.length()));
        IValue image = cross == null ? noImage : cross.scriptValue();
        IValue settings = output == Output.SAMPLE ? counted(IValue.listFrom(sampling)) : null;
        IValue result = counted(settings == null
                ? IValueUtils.runMethod(module, output.method, idsValue, start, weights, layers, cache.scriptKeys(), cache.scriptValues(), image)
                : IValueUtils.runMethod(module, output.method, idsValue, start, weights, layers, cache.scriptKeys(), cache.scriptValues(), image,
                        settings));
        NDArray out = counted(result.toTensor((PtNDManager) step));
        close(result);
        close(idsValue);
        close(start);
        if (settings != null) {
            close(settings);
        }
        return out;
    }

    /** {@code made} by one call into libtorch, counted. */
    private <T> T counted(T made) {
        nativeCalls.increment();
        return made;
    }

    /** Frees {@code value} in libtorch, counted. */
    private void close(IValue value) {
        value.close();
        nativeCalls.increment();
    }

    /**
     * TextDecoder.py's image_keys_values: projected image states [1, S, D] → every cross-attention layer's keys and
     * values ([1, KV, S, hd] each, layer by layer: k, v, k, v, ...), in {@code owner}.
     */
    NDArray[] imageKeysValues(NDManager owner, NDArray states) {
        TorchScriptArchive.usePlainExecutor();
        IValue statesValue = IValue.from((PtNDArray) states);
        IValue result = IValueUtils.runMethod(module, "image_keys_values", statesValue, layers);
        try {
            return result.toTensorArray((PtNDManager) owner);
        } finally {
            result.close();
            statesValue.close();
        }
    }

    /** TextDecoder.py's draw alone, on float32 logits [B, vocab]: each row's first token, and tests. */
    long[] draw(NDArray logits, double[] sampling) {
        TorchScriptArchive.usePlainExecutor();
        IValue logitsValue = IValue.from((PtNDArray) logits);
        IValue settings = IValue.listFrom(sampling);
        IValue result = IValueUtils.runMethod(module, "draw", logitsValue, settings);
        try (NDManager scope = logits.getManager().newSubManager()) {
            return result.toTensor((PtNDManager) scope).toLongArray();
        } finally {
            result.close();
            settings.close();
            logitsValue.close();
        }
    }

    /** TextDecoder.py's linear alone (tests): x [B, T, K] through {@code weight} → [B, T, N], in {@code step}. */
    NDArray linear(NDManager step, NDArray x, Weight weight) {
        TorchScriptArchive.usePlainExecutor();
        IValue xValue = IValue.from((PtNDArray) x);
        IValue weightValue = TorchScriptArchive.tensorList(weight.tensors());
        IValue wxt = IValue.from(false);
        IValue result = IValueUtils.runMethod(module, "linear", xValue, weightValue, wxt);
        try {
            return result.toTensor((PtNDManager) step);
        } finally {
            result.close();
            wxt.close();
            weightValue.close();
            xValue.close();
        }
    }

    /** Calls from Java into libtorch made by {@link #forward} since the model loaded (plus what callers add). */
    LongAdder nativeCalls() {
        return nativeCalls;
    }

    @Override
    public void close() {
        weights.close();
        layers.close();
        noImage.close();
        module.close();
    }
}
