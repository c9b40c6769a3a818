package io.github.llavao1.engine;

import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.generate.TokenListener;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.model.CrossAttentionStatesHandle;
import io.github.llavao1.engine.model.LoadedModel;
import io.github.llavao1.engine.model.KvCacheHandle;
import io.github.llavao1.engine.text.CrossAttentionMask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * One request's state: its images, encoded once (vision model, projector and every cross-attention layer's K/V) or
 * taken from the engine's {@link ImageCache}, and the prefixes read so far. Every prompt of the request (the question, judge prompts, text-only checks) and
 * every generated sequence reuses that encoding. Not thread-safe: one request, one thread; the model is shared.
 */
public final class Session implements AutoCloseable {

    /** How many prefixes {@link #cachedPrefix} keeps for reuse. */
    public static final int KEPT_PREFIXES = 8;

    private final SessionContext context;
    private final LoadedModel model;
    private final List<ProcessedImage> images;
    private final ImageCache.Encoding imageEncoding;
    private final CrossAttentionStatesHandle imageStates;
    private final List<Prefix> prefixes = new ArrayList<>();
    private final Deque<Prefix> reusable = new ArrayDeque<>();
    private final double imageEncodeMillis;
    private final Runnable releaseSlot;
    private boolean closed;

    Session(SessionContext context, List<ProcessedImage> images, Runnable releaseSlot) {
        this.context = context;
        this.model = context.model();
        this.releaseSlot = releaseSlot;
        this.images = List.copyOf(images);
        long start = System.nanoTime();
        this.imageEncoding = images.isEmpty() ? null : context.imageCache().encode(this.images);
        this.imageStates = imageEncoding == null ? null : imageEncoding.states();
        this.imageEncodeMillis = (System.nanoTime() - start) / 1e6;
    }

    /** Time spent encoding the images when the session opened (a cache lookup when the engine had them already). */
    public double imageEncodeMillis() {
        return imageEncodeMillis;
    }

    /**
     * Reads a prompt into a new prefix. A prompt with {@code <|image|>} tokens must have exactly one per session
     * image and attends them with transformers' mask; a prompt without any runs text-only (cross-attention layers
     * skipped), even in a session that has images.
     */
    public Prefix prefill(int[] promptIds) {
        return context.lifecycle().use(() -> {
            long[] tileMask = promptTileMask(promptIds);
            // exactly the prompt: a prefix's cache is never written again (extensions and generations fork it)
            KvCacheHandle cache = model.newCache(promptIds.length);
            return read(promptIds, promptIds, cache, tileMask, promptIds.length);
        });
    }

    /**
     * A new prefix: {@code prefix} followed by {@code tokens} (e.g. the winning candidate of a reasoning stage),
     * reading only the new tokens. They attend the images like generated tokens do (the prompt's last row).
     */
    public Prefix extend(Prefix prefix, int[] tokens) {
        return context.lifecycle().use(() -> {
            checkOpen();
            checkOwned(prefix);
            validateIds(tokens, "continuation");
            if (countImageTokens(tokens, 0) != 0) {
                throw new IllegalArgumentException("a continuation cannot contain <|image|> tokens; images belong in the prompt");
            }
            if (tokens.length == 0) {
                throw new IllegalArgumentException("a continuation needs at least one token");
            }
            context.checkFits(prefix.length() + tokens.length, 0);
            KvCacheHandle cache = prefix.cache().fork(tokens.length);
            long[] rowMask = prefix.decodeTileMask();
            long[] tileMask = rowMask == null ? null : CrossAttentionMask.repeatRow(rowMask, tokens.length);
            int[] all = Arrays.copyOf(prefix.tokens(), prefix.length() + tokens.length);
            System.arraycopy(tokens, 0, all, prefix.length(), tokens.length);
            return read(all, tokens, cache, tileMask, tokens.length);
        });
    }

    /**
     * Generates {@code n} sequences continuing {@code prefix}, decoded together as one batch that forks from the
     * prefix's cache; each sequence has its own random stream derived from the options' seed. A sequence that
     * reaches the end of the model's context stops there (finish reason LENGTH).
     */
    public List<GenerationResult> generate(Prefix prefix, GenerationOptions options, int n, TokenListener listener) {
        return context.lifecycle().use(() -> {
            checkOpen();
            checkOwned(prefix);
            if (n < 1) {
                throw new IllegalArgumentException("n must be >= 1, got " + n);
            }
            return new BatchDecoder(context, imageStates, prefix, options, n, listener == null ? TokenListener.NONE : listener).run();
        });
    }

    /**
     * A prefix for {@code ids} that reuses what this session has read: the longest prefix kept by earlier calls
     * that starts {@code ids} is extended by the rest (when the rest has no {@code <|image|>} token), otherwise
     * {@code ids} are read afresh. The session keeps the {@value #KEPT_PREFIXES} most recent such prefixes and
     * closes older ones, so a caller must not hold on to a returned prefix across many later calls.
     */
    public Prefix cachedPrefix(int[] ids) {
        return context.lifecycle().use(() -> {
            checkOpen();
            Prefix best = null;
            for (Prefix p : reusable) {
                if (p.length() <= ids.length && (best == null || p.length() > best.length()) && p.isPrefixOf(ids)) {
                    best = p;
                }
            }
            if (best != null && best.length() == ids.length) {
                return best;
            }
            Prefix result = best != null && countImageTokens(ids, best.length()) == 0
                    ? extend(best, Arrays.copyOfRange(ids, best.length(), ids.length))
                    : prefill(ids);
            reusable.addLast(result);
            if (reusable.size() > KEPT_PREFIXES) {
                Prefix evicted = reusable.removeFirst();
                prefixes.remove(evicted);
                evicted.close();
            }
            return result;
        });
    }

    /** Float32 logits [promptIds.length × vocab] for every prompt position (for conformance tests). */
    public float[] promptLogits(int[] promptIds) {
        return context.lifecycle().use(() -> {
            long[] tileMask = promptTileMask(promptIds);
            try (KvCacheHandle cache = model.newCache(promptIds.length)) {
                return model.read(cache, promptIds, imageStates, tileMask, true);
            }
        });
    }

    private Prefix read(int[] allTokens, int[] newTokens, KvCacheHandle cache, long[] tileMask, int count) {
        long start = System.nanoTime();
        try {
            float[] logits = model.read(cache, newTokens, imageStates, tileMask, false);
            long[] decodeRow = tileMask == null ? null : CrossAttentionMask.lastRow(tileMask, count);
            Prefix prefix = new Prefix(this, allTokens, cache, logits, decodeRow, (System.nanoTime() - start) / 1e6);
            prefixes.add(prefix);
            return prefix;
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    /**
     * Checks a prompt and builds its dense cross-attention mask: null when it has no {@code <|image|>} token (a
     * text-only pass), else exactly one image token per session image.
     */
    private long[] promptTileMask(int[] promptIds) {
        checkOpen();
        validateIds(promptIds, "prompt");
        context.checkFits(promptIds.length, 0);
        int imageTokens = countImageTokens(promptIds, 0);
        if (imageTokens == 0) {
            return null;
        }
        if (imageTokens != images.size()) {
            throw new IllegalArgumentException("prompt has " + imageTokens + " <|image|> tokens but the session has "
                    + images.size() + " images");
        }
        return CrossAttentionMask.dense(promptIds, context.imageTokenId(), numTiles(), model.config().vision().maxNumTiles());
    }

    /** Frees a prefix's cache unless the engine already freed everything. */
    void release(KvCacheHandle cache) {
        context.lifecycle().useIfOpen(cache::close);
    }

    private int[] numTiles() {
        int[] tiles = new int[images.size()];
        for (int i = 0; i < tiles.length; i++) {
            tiles[i] = images.get(i).numTiles();
        }
        return tiles;
    }

    /** {@code <|image|>} tokens in {@code ids} from index {@code from} on. */
    private int countImageTokens(int[] ids, int from) {
        int count = 0;
        for (int i = from; i < ids.length; i++) {
            if (ids[i] == context.imageTokenId()) {
                count++;
            }
        }
        return count;
    }

    private void validateIds(int[] ids, String what) {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("the " + what + " needs at least one token");
        }
        int rows = model.config().text().embeddingRows();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rows) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i + " of the " + what
                        + " is outside the embedding table [0, " + rows + ")");
            }
        }
    }

    private void checkOwned(Prefix prefix) {
        if (prefix.session() != this) {
            throw new IllegalArgumentException("the prefix belongs to another session");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // after the engine closed, its model freed all of this already
            context.lifecycle().useIfOpen(() -> {
                prefixes.forEach(p -> p.cache().close());
                if (imageEncoding != null) {
                    imageEncoding.close();
                }
            });
            prefixes.clear();
            reusable.clear();
        } finally {
            releaseSlot.run();
        }
    }
}
