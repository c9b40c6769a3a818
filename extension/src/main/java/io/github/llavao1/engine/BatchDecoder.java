package io.github.llavao1.engine;

import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.generate.StopCheck;
import io.github.llavao1.engine.generate.TokenListener;
import io.github.llavao1.engine.model.DecodeBatch;
import io.github.llavao1.engine.model.CrossAttentionStatesHandle;
import io.github.llavao1.engine.text.StreamingDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The decode loop for n sequences forked from one prefix: one forward pass per step for all sequences still
 * running ({@link DecodeBatch}); each row's token is picked on the device (only the ids come back): the argmax, or a
 * draw with a uniform from the row's own seeded random stream; stop checks on the streamed text, and the batch shrunk
 * (cache rows dropped) as sequences finish.
 */
final class BatchDecoder {

    private final SessionContext context;
    private final CrossAttentionStatesHandle images;
    private final Prefix prefix;
    private final GenerationOptions options;
    private final TokenListener listener;
    private final StopCheck stops;
    private final Set<Integer> eos;
    private final int maxNewTokens;
    private final Row[] rows;

    /** One sequence's progress. */
    private static final class Row {
        final int index;
        final SplittableRandom random;
        final StreamingDecoder decoder;
        final StringBuilder text = new StringBuilder();
        int[] tokens = new int[16];
        int count;
        FinishReason finish;

        Row(int index, SplittableRandom random, StreamingDecoder decoder) {
            this.index = index;
            this.random = random;
            this.decoder = decoder;
        }

        void append(int token) {
            if (count == tokens.length) {
                tokens = Arrays.copyOf(tokens, count * 2);
            }
            tokens[count++] = token;
        }
    }

    BatchDecoder(SessionContext context, CrossAttentionStatesHandle images, Prefix prefix, GenerationOptions options, int n, TokenListener listener) {
        this.context = context;
        this.images = images;
        this.prefix = prefix;
        this.options = options;
        this.listener = listener;
        this.stops = StopCheck.of(options);
        this.eos = options.ignoreEos() ? Set.of() : context.eosTokenIds();
        // the first token comes from the prefix's logits; each later one needs the position of the one before
        this.maxNewTokens = Math.min(options.maxNewTokens(), context.contextLength() - prefix.length() + 1);
        SplittableRandom root = new SplittableRandom(options.seed());
        this.rows = new Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = new Row(i, root.split(), context.tokenizer().streamingDecoder(true));
        }
    }

    List<GenerationResult> run() {
        long start = System.nanoTime();
        List<Row> active = new ArrayList<>(Arrays.asList(rows));
        // attending the session's images the way the prefix's last token does (none for a text-only prefix)
        try (DecodeBatch batch = context.model().decodeBatch(prefix.cache(), rows.length, maxNewTokens, images,
                prefix.decodeTileMask())) {
            // every row's first token comes from the prefix's last logits (no forward pass), later ones from a decode
            // step; both chosen on the device, greedy or drawn there with a uniform from each row's seeded stream
            long[] chosen = batch.first(prefix.lastLogits(), options, options.greedy() ? null : uniforms(active));
            while (true) {
                int[] next = new int[active.size()];
                for (int i = 0; i < active.size(); i++) {
                    next[i] = accept(active.get(i), (int) chosen[i]);
                }
                if (listener.cancelled() || context.lifecycle().closing()) {
                    active.forEach(row -> row.finish = FinishReason.CANCELLED);
                }
                long[] keep = survivors(active);
                if (keep.length == 0) {
                    break;
                }
                int[] inputs = new int[keep.length];
                List<Row> still = new ArrayList<>(keep.length);
                for (int i = 0; i < keep.length; i++) {
                    inputs[i] = next[(int) keep[i]];
                    still.add(active.get((int) keep[i]));
                }
                if (keep.length < active.size()) {
                    batch.retainRows(keep);
                }
                active = still;
                chosen = options.greedy() ? batch.greedy(inputs) : batch.sample(inputs, options, uniforms(active));
            }
        }
        double decodeMillis = (System.nanoTime() - start) / 1e6;
        List<GenerationResult> results = new ArrayList<>(rows.length);
        for (Row row : rows) {
            results.add(new GenerationResult(Arrays.copyOf(row.tokens, row.count), row.text.toString(), row.finish,
                    prefix.length(), prefix.prefillMillis(), decodeMillis));
        }
        return results;
    }

    /** Records a sampled token, streams its text and decides whether the row is done. */
    private int accept(Row row, int token) {
        context.sampledTokens().increment();
        row.append(token);
        if (eos.contains(token)) {
            row.text.append(row.decoder.flush());
            row.finish = FinishReason.EOS;
            listener.onToken(row.index, token, "");
            return token;
        }
        String delta = row.decoder.push(token);
        if (row.count >= maxNewTokens) {
            delta += row.decoder.flush();
            row.finish = FinishReason.LENGTH;
        }
        int before = row.text.length();
        row.text.append(delta);
        listener.onToken(row.index, token, delta);
        if (!delta.isEmpty() && stops.reached(row.text, before)) {
            row.finish = FinishReason.STOP_STRING;
        }
        return token;
    }

    private static long[] survivors(List<Row> active) {
        long[] keep = new long[active.size()];
        int n = 0;
        for (int i = 0; i < active.size(); i++) {
            if (active.get(i).finish == null) {
                keep[n++] = i;
            }
        }
        return Arrays.copyOf(keep, n);
    }

    /** One uniform per running row, each from the row's own seeded stream (one per token). */
    private static double[] uniforms(List<Row> active) {
        double[] uniforms = new double[active.size()];
        for (int i = 0; i < uniforms.length; i++) {
            uniforms[i] = active.get(i).random.nextDouble();
        }
        return uniforms;
    }
}
