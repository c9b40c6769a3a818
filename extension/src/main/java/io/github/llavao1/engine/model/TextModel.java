package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.config.TextConfig;
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

    TextModel(TextConfig config, ComputeContext context, WeightLoader loader) {
        this.config = config;
        this.context = context;
        this.rope = new RotaryEmbedding(config, context);
        this.embedTokens = loader.load(WeightNames.embedTokens());
        int selfIndex = 0;
        double eps = config.rmsNormEps();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            TextRmsNorm inputNorm = TextRmsNorm.load(loader, context, WeightNames.inputLayernorm(i), eps);
            TextRmsNorm postNorm = TextRmsNorm.load(loader, context, WeightNames.postAttentionLayernorm(i), eps);
            TextMlp mlp = TextMlp.load(loader, i, config.intermediateSize());
            if (config.isCrossAttentionLayer(i)) {
                TextCrossAttention cross = TextCrossAttention.load(loader, context, i, config.numAttentionHeads(),
                        config.numKeyValueHeads(), config.headDim(), eps, crossAttentions.size());
                crossAttentions.add(cross);
                NDArray attnGate = context.constant((float) Math.tanh(loader.scalar(WeightNames.crossAttnAttnGate(i))));
                NDArray mlpGate = context.constant((float) Math.tanh(loader.scalar(WeightNames.crossAttnMlpGate(i))));
                layers.add(new CrossAttentionDecoderLayer(inputNorm, cross, attnGate, postNorm, mlp, mlpGate));
            } else {
                TextSelfAttention attention = TextSelfAttention.load(loader, i, rope, config.numAttentionHeads(),
                        config.numKeyValueHeads(), config.headDim(), selfIndex++, context.attentionBlockBytes());
                layers.add(new SelfAttentionDecoderLayer(inputNorm, attention, postNorm, mlp));
            }
        }
        this.selfAttentionLayers = selfIndex;
        this.norm = TextRmsNorm.load(loader, context, WeightNames.textNorm(), config.rmsNormEps());
        this.lmHead = loader.load(WeightNames.lmHead());
    }

    TextConfig config() {
        return config;
    }

    KvCache newCache(int batch, int capacity) {
        return new KvCache(context, selfAttentionLayers, config.numKeyValueHeads(), config.headDim(), batch, capacity);
    }

    /** Projected image states [1, S, D] → every cross-attention layer's keys and values, owned by the result. */
    CrossAttentionStates projectImage(NDArray states) {
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
