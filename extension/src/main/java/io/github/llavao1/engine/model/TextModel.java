package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.config.TextConfig;
import io.github.llavao1.engine.generate.Sampler;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports MllamaForCausalLM: token embedding, the interleaved self- and cross-attention decoder layers, the final
 * RMSNorm and the untied LM head.
 */
final class TextModel {

    private final TextConfig config;
    private final ComputeContext context;
    private final NDArray embedTokens;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final List<TextCrossAttention> crossAttentions = new ArrayList<>();
    private final TextRmsNorm norm;
    private final NDArray lmHead;
    private final RotaryEmbedding rope;
    private final int selfAttentionLayers;
    /** The whole forward pass as one TorchScript call, or null for the op-by-op path below. */
    private final TextDecoderScript script;

    TextModel(TextConfig config, ComputeContext context, WeightLoader loader, boolean scripted) {
        this.config = config;
        this.context = context;
        this.rope = new RotaryEmbedding(config, context);
        this.embedTokens = loader.load(WeightNames.embedTokens());
        int selfIndex = 0;
        double eps = config.rmsNormEps();
        List<Boolean> layerIsCross = new ArrayList<>();
        List<Double> attnGates = new ArrayList<>();
        List<Double> mlpGates = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            TextRmsNorm inputNorm = TextRmsNorm.load(loader, context, WeightNames.inputLayernorm(i), eps);
            TextRmsNorm postNorm = TextRmsNorm.load(loader, context, WeightNames.postAttentionLayernorm(i), eps);
            TextMlp mlp = TextMlp.load(loader, i, config.intermediateSize());
            if (config.isCrossAttentionLayer(i)) {
                TextCrossAttention cross = TextCrossAttention.load(loader, context, i, config.numAttentionHeads(),
                        config.numKeyValueHeads(), config.headDim(), eps, crossAttentions.size());
                crossAttentions.add(cross);
                float attnGateValue = (float) Math.tanh(loader.scalar(WeightNames.crossAttnAttnGate(i)));
                float mlpGateValue = (float) Math.tanh(loader.scalar(WeightNames.crossAttnMlpGate(i)));
                attnGates.add((double) attnGateValue);
                mlpGates.add((double) mlpGateValue);
                NDArray attnGate = context.constant(attnGateValue);
                NDArray mlpGate = context.constant(mlpGateValue);
                layers.add(new CrossAttentionDecoderLayer(inputNorm, cross, attnGate, postNorm, mlp, mlpGate));
            } else {
                TextSelfAttention attention = TextSelfAttention.load(loader, i, rope, config.numAttentionHeads(),
                        config.numKeyValueHeads(), config.headDim(), selfIndex++, context.attentionBlockBytes());
                layers.add(new SelfAttentionDecoderLayer(inputNorm, attention, postNorm, mlp));
            }
            layerIsCross.add(config.isCrossAttentionLayer(i));
        }
        this.selfAttentionLayers = selfIndex;
        this.norm = TextRmsNorm.load(loader, context, WeightNames.textNorm(), config.rmsNormEps());
        this.lmHead = loader.load(WeightNames.lmHead());
        this.script = scripted ? new TextDecoderScript(config, context, scriptWeights(), layerIsCross, attnGates, mlpGates) : null;
    }

    /** The weights in TextDecoder.py's order: embedding, final norm, LM head, RoPE frequencies, then layer by layer. */
    private List<NDArray> scriptWeights() {
        List<NDArray> weights = new ArrayList<>(List.of(embedTokens, norm.weight(), lmHead,
                context.manager().create(config.rope().inverseFrequencies(config.headDim()))));
        for (DecoderLayer layer : layers) {
            if (layer instanceof SelfAttentionDecoderLayer l) {
                weights.addAll(List.of(l.inputLayernorm().weight(), l.selfAttn().qkvProj(), l.selfAttn().oProj(),
                        l.postAttentionLayernorm().weight(), l.mlp().gateUpProj(), l.mlp().downProj()));
            } else if (layer instanceof CrossAttentionDecoderLayer l) {
                weights.addAll(List.of(l.inputLayernorm().weight(), l.crossAttn().qProj(), l.crossAttn().qNorm().weight(),
                        l.crossAttn().oProj(), l.postAttentionLayernorm().weight(), l.mlp().gateUpProj(), l.mlp().downProj()));
            }
        }
        return weights;
    }

    /** Whether forward passes run as one TorchScript call (see {@link TextDecoderScript}). */
    boolean scripted() {
        return script != null;
    }

    /** Calls from Java into libtorch made by scripted forward passes so far (0 on the op-by-op path). */
    long scriptNativeCalls() {
        return script == null ? 0 : script.nativeCalls().sum();
    }

    TextConfig config() {
        return config;
    }

    KvCache newCache(int batch, int capacity) {
        return new KvCache(context, selfAttentionLayers, config.numKeyValueHeads(), config.headDim(), batch, capacity);
    }

    /** Projected image states [1, S, D] → every cross-attention layer's keys and values, owned by the result. */
    CrossAttentionStates projectImage(NDArray states) {
        BlockShapes.expect("MllamaTextCrossAttention", "projected image states", states.getShape(), 1, BlockShapes.ANY,
                config.hiddenSize());
        NDManager owner = context.manager().newSubManager();
        List<NDArray> keys = new ArrayList<>();
        List<NDArray> values = new ArrayList<>();
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray scoped = states.get(scope, new NDIndex(":"));
            for (TextCrossAttention cross : crossAttentions) {
                NDList kv = cross.projectImage(owner, scoped);
                keys.add(kv.get(0));
                values.add(kv.get(1));
            }
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
        int t = (int) ids.getShape().get(1);
        int start = cache.length();
        if (script != null) {
            return scriptedPass(step, ids, cache, cross, allPositions ? TextDecoderScript.Output.ALL_LOGITS
                    : TextDecoderScript.Output.LAST_LOGITS, null);
        }
        // RoPE angles first: they refuse a sequence longer than max_position_embeddings before the cache grows
        RotaryEmbedding.Angles angles = rope.angles(step, start, t);
        cache.reserve(t);
        LayerInputs in = new LayerInputs(start, angles, t > 1 ? causalMask(step, start, t) : null, cache, cross);
        // token embedding
        NDArray hidden = embedTokens.get(step, new NDIndex("{}", ids));
        for (DecoderLayer layer : layers) {
            NDArray input = hidden;
            hidden = Ops.scoped(input, x -> layer.forward(x, in));
            if (hidden != input) {
                input.close();
            }
        }
        cache.advance(t);
        // final norm and LM head (last position only while generating)
        if (!allPositions && t > 1) {
            hidden = hidden.get(new NDIndex(":, -1:, :"));
        }
        NDArray logits = Ops.linear(norm.forward(hidden), lmHead, null);
        return logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
    }

    /**
     * One decode step choosing each row's most likely next token on the device: [B, T] ids → the last position's
     * argmax per row. Only the ids come back; the op-by-op path computes logits and takes the argmax in Java.
     */
    long[] greedy(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross) {
        if (script != null) {
            return scriptedPass(step, ids, cache, cross, TextDecoderScript.Output.GREEDY, null).toLongArray();
        }
        float[] logits = forward(step, ids, cache, cross, false).toFloatArray();
        int vocab = config.vocabSize();
        long[] next = new long[logits.length / vocab];
        for (int r = 0; r < next.length; r++) {
            next[r] = Sampler.ARGMAX.sample(logits, r * vocab, vocab, null);
        }
        return next;
    }

    /**
     * One decode step drawing each row's next token with {@code sampler} from the uniform {@code uniforms[row]}: on the
     * device when scripted (TextDecoder.py's draw; only the ids come back), else from the downloaded logits.
     */
    long[] sample(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross, Sampler.NucleusSampler sampler,
            double[] uniforms) {
        if (script != null) {
            return scriptedPass(step, ids, cache, cross, TextDecoderScript.Output.SAMPLE, sampling(sampler, uniforms)).toLongArray();
        }
        float[] logits = forward(step, ids, cache, cross, false).toFloatArray();
        int vocab = config.vocabSize();
        long[] next = new long[uniforms.length];
        for (int r = 0; r < next.length; r++) {
            next[r] = sampler.draw(logits, r * vocab, vocab, uniforms[r]);
        }
        return next;
    }

    /** TextDecoder.py's draw settings: the warpers, then one uniform per row. */
    static double[] sampling(Sampler.NucleusSampler sampler, double[] uniforms) {
        double[] sampling = new double[4 + uniforms.length];
        sampling[0] = sampler.inverseTemperature();
        sampling[1] = sampler.negligibleSpan();
        sampling[2] = sampler.topP();
        sampling[3] = sampler.topK();
        System.arraycopy(uniforms, 0, sampling, 4, uniforms.length);
        return sampling;
    }

    /** The scripted decoder (tests), or null on the op-by-op path. */
    TextDecoderScript script() {
        return script;
    }

    private NDArray scriptedPass(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross,
            TextDecoderScript.Output output, double[] sampling) {
        int t = (int) ids.getShape().get(1);
        rope.checkPositions(cache.length() + t);
        cache.reserve(t);
        NDArray out = script.forward(step, ids, cache, cross, output, sampling);
        cache.advance(t);
        return out;
    }

    /** Additive [T, start+T]: new token t sees cached positions and new positions up to itself. */
    private NDArray causalMask(NDManager step, int start, int t) {
        int total = start + t;
        float min = context.maskValue();
        float[] mask = new float[t * total];
        for (int i = 0; i < t; i++) {
            for (int j = start + i + 1; j < total; j++) {
                mask[i * total + j] = min;
            }
        }
        return step.create(FloatBuffer.wrap(mask), new Shape(t, total)).toDevice(context.device(), false)
                .toType(context.dtype(), false);
    }
}
