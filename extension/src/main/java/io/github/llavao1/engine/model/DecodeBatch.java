package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.llavao1.engine.generate.GenerationOptions;

/**
 * Sequences decoding in lockstep, one token per row per step, over one KV cache forked from a prompt's
 * ({@link LoadedModel#decodeBatch}): the step API (no DJL types) that the session's generation loop and the bench
 * share. Each step is one TorchScript call that returns only the chosen token ids; its temporaries live in a scoped
 * manager. The decode rows' image inputs (the prompt's last cross-attention mask row, the same for every generated
 * token) are built once. Used by one thread at a time.
 */
public final class DecodeBatch implements AutoCloseable {

    private final MllamaModel model;
    private final TextModel text;
    private final KvCache cache;
    private final NDManager scope;
    private final CrossAttentionInputs cross;

    /**
     * @param prompt a one-row cache holding the prompt (not modified)
     * @param copies rows of the batch, each a copy of the prompt's
     * @param extra positions to reserve beyond the prompt (the cache grows past them if needed)
     * @param states the request's image states, or null for text-only decoding
     * @param decodeTileMask the prompt's last cross-attention mask row (see {@link MllamaModel#crossInputs}), or null
     */
    DecodeBatch(MllamaModel model, KvCache prompt, int copies, int extra, CrossAttentionStates states, long[] decodeTileMask) {
        this.model = model;
        this.text = model.languageModel();
        this.cache = prompt.fork(copies, extra);
        this.scope = model.context().manager().newSubManager();
        this.cross = decodeTileMask == null ? null : model.crossInputs(scope, states, decodeTileMask, 1);
    }

    /** Rows still decoding. */
    public int batch() {
        return cache.batch();
    }

    /** Positions in the cache: prompt plus the tokens fed so far. */
    public int length() {
        return cache.length();
    }

    /**
     * Each row's first token from the prompt's last float32 logits, chosen on the device like every later one: the
     * argmax when {@code options} are greedy, else a draw with {@code uniforms[row]} (one uniform in [0, 1) per row,
     * from the row's seeded stream).
     */
    public long[] first(float[] lastLogits, GenerationOptions options, double[] uniforms) {
        try (NDManager step = scope.newSubManager()) {
            return text.firstTokens(step, lastLogits, cache.batch(), options, uniforms);
        }
    }

    /** Feeds one token per row and returns each row's most likely next token (argmax on the device). */
    public long[] greedy(int[] tokens) {
        return step(tokens, null, null);
    }

    /**
     * Feeds one token per row and returns each row's next token drawn with {@code options}' warpers from
     * {@code uniforms[row]} (one uniform in [0, 1) per row, from the row's seeded stream), on the device.
     */
    public long[] sample(int[] tokens, GenerationOptions options, double[] uniforms) {
        return step(tokens, options, uniforms);
    }

    /** Keeps only the given rows (sequences still generating), in their order. */
    public void retainRows(long[] rows) {
        cache.retainRows(rows);
    }

    private long[] step(int[] tokens, GenerationOptions sampling, double[] uniforms) {
        if (tokens.length != cache.batch()) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + cache.batch() + " rows");
        }
        int[][] ids = new int[tokens.length][];
        for (int r = 0; r < tokens.length; r++) {
            ids[r] = new int[] {tokens[r]};
        }
        try (NDManager step = scope.newSubManager()) {
            NDArray input = model.tokenIds(step, ids);
            long[] next = sampling == null ? text.greedy(step, input, cache, cross) : text.sample(step, input, cache, cross, sampling, uniforms);
            // each array made in the step is created and freed (2 calls); one download of the ids
            model.addNativeCalls(2L * step.getManagedArrays().size() + 1);
            return next;
        }
    }

    @Override
    public void close() {
        cache.close();
        scope.close();
    }
}
