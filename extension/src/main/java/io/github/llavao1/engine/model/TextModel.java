package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.config.TextConfig;
import io.github.llavao1.engine.generate.GenerationOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ports MllamaForCausalLM: token embedding, the interleaved self- and cross-attention decoder layers, the final
 * RMSNorm and the untied LM head. The weights live here; every forward pass is one call into
 * {@link TextDecoderScript} (TextDecoder.py, the architecture's math block by block).
 */
final class TextModel {

    private final TextConfig config;
    private final ComputeContext context;
    private final NDArray embedTokens;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final NDArray norm;
    private final Weight lmHead;
    private final int selfAttentionLayers;
    private final TextDecoderScript script;

    TextModel(TextConfig config, ComputeContext context, WeightLoader loader) {
        this.config = config;
        this.context = context;
        this.embedTokens = loader.load(WeightNames.embedTokens());
        int selfLayers = 0;
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            if (config.isCrossAttentionLayer(i)) {
                layers.add(CrossAttentionDecoderLayer.load(loader, i, config.headDim(), context.quantization()));
            } else {
                layers.add(SelfAttentionDecoderLayer.load(loader, i, config.headDim(), context.quantization()));
                selfLayers++;
            }
        }
        this.selfAttentionLayers = selfLayers;
        this.norm = loader.load(WeightNames.textNorm());
        this.lmHead = loader.loadLinear(context.quantization(), null, WeightNames.lmHead());
        this.script = new TextDecoderScript(config, context, scriptWeights(), layers);
    }

    /** TextDecoder.py's weights by the names of their indices there. */
    private Map<String, Weight> scriptWeights() {
        Map<String, Weight> weights = new LinkedHashMap<>();
        weights.put("EMBED_TOKENS", new Weight.Dense(embedTokens));
        weights.put("NORM", new Weight.Dense(norm));
        weights.put("LM_HEAD", lmHead);
        weights.put("INV_FREQ", new Weight.Dense(context.manager().create(config.rope().inverseFrequencies(config.headDim()))));
        return weights;
    }

    /** Calls from Java into libtorch made by forward passes so far. */
    long scriptNativeCalls() {
        return script.nativeCalls().sum();
    }

    TextConfig config() {
        return config;
    }

    TextDecoderScript script() {
        return script;
    }

    KvCache newCache(int batch, int capacity) {
        return new KvCache(context, selfAttentionLayers, config.numKeyValueHeads(), config.headDim(), batch, capacity);
    }

    /** Projected image states [1, S, D] → every cross-attention layer's keys and values, owned by the result. */
    CrossAttentionStates projectImage(NDArray states) {
        BlockShapes.expect("MllamaTextCrossAttention", "projected image states", states.getShape(), 1, BlockShapes.ANY,
                config.hiddenSize());
        NDManager owner = context.manager().newSubManager();
        NDArray[] keysValues = script.imageKeysValues(owner, states);
        List<NDArray> keys = new ArrayList<>();
        List<NDArray> values = new ArrayList<>();
        for (int i = 0; i < keysValues.length; i += 2) {
            keys.add(keysValues[i]);
            values.add(keysValues[i + 1]);
        }
        return new CrossAttentionStates(owner, keys, values, (int) states.getShape().get(1));
    }

    /**
     * Runs new tokens through the decoder.
     *
     * @param ids [B, T] token ids (int64) on the device
     * @param cache the batch's cache; its length is the position of the first new token; it advances by T
     * @param cross the image inputs, or null when the sequence attends no image
     * @param allPositions logits for every new token (tests) instead of only the last
     * @return float32 logits [B, T or 1, vocab]
     */
    NDArray forward(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross, boolean allPositions) {
        return pass(step, ids, cache, cross, allPositions ? TextDecoderScript.Output.ALL_LOGITS : TextDecoderScript.Output.LAST_LOGITS,
                null);
    }

    /** One decode step choosing each row's most likely next token on the device: only the ids come back. */
    long[] greedy(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross) {
        return pass(step, ids, cache, cross, TextDecoderScript.Output.GREEDY, null).toLongArray();
    }

    /**
     * One decode step drawing each row's next token on the device with {@code options}' warpers from the uniform
     * {@code uniforms[row]} (TextDecoder.py's draw); only the ids come back.
     */
    long[] sample(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross, GenerationOptions options,
            double[] uniforms) {
        return pass(step, ids, cache, cross, TextDecoderScript.Output.SAMPLE, sampling(options, uniforms)).toLongArray();
    }

    /**
     * The first token of each of {@code rows} rows from the prompt's last float32 logits, chosen on the device as every
     * later one is: the argmax, or TextDecoder.py's draw with {@code uniforms[row]}.
     */
    long[] firstTokens(NDManager step, float[] lastLogits, int rows, GenerationOptions options, double[] uniforms) {
        NDArray logits = step.create(lastLogits, new Shape(1, lastLogits.length));
        if (options.greedy()) {
            return logits.argMax(-1).repeat(0, rows).toLongArray();
        }
        return script.draw(logits.repeat(0, rows), sampling(options, uniforms));
    }

    /**
     * Tokens more than this below their row's maximum (after temperature) weigh < e^-40 each: even all 128k of them
     * together move the total by ~1e-12, so draw gives them weight 0 without an exp.
     */
    private static final float NEGLIGIBLE = 40f;

    /**
     * TextDecoder.py's draw settings for {@code options} (temperature > 0): 1/temperature as a float, the span below a
     * row's maximum that weighs 0, top-p, top-k, then one uniform per row.
     */
    static double[] sampling(GenerationOptions options, double[] uniforms) {
        float inverseTemperature = (float) (1.0 / options.temperature());
        double[] sampling = new double[4 + uniforms.length];
        sampling[0] = inverseTemperature;
        sampling[1] = NEGLIGIBLE / inverseTemperature;
        sampling[2] = options.topP();
        sampling[3] = options.topK();
        System.arraycopy(uniforms, 0, sampling, 4, uniforms.length);
        return sampling;
    }

    private NDArray pass(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross, TextDecoderScript.Output output,
            double[] sampling) {
        int t = (int) ids.getShape().get(1);
        // before the cache grows
        if (cache.length() + t > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence of " + (cache.length() + t) + " tokens exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        cache.reserve(t);
        NDArray out = script.forward(step, ids, cache, cross, output, sampling);
        cache.advance(t);
        return out;
    }
}
