package io.github.llavao1.engine.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference the engine's one sampler, TextDecoder.py's {@code draw} on the device, is tested against: picks the
 * next token from one row of float32 logits in Java. {@link #ARGMAX} is greedy decoding; {@link #of} ports
 * transformers' sampling warpers in their order (temperature, then top-k, then top-p) followed by a draw from the
 * renormalised distribution. The random source is the caller's, so a seed reproduces a whole generation.
 */
@FunctionalInterface
public interface ReferenceSampler {

    /** Index of the token chosen from {@code logits[offset .. offset + vocab)}. */
    int sample(float[] logits, int offset, int vocab, SplittableRandom random);

    ReferenceSampler ARGMAX = (logits, offset, vocab, random) -> {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits[offset + i];
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    };

    /**
     * @param temperature > 0
     * @param topP in (0, 1]; 1 disables nucleus filtering
     * @param topK 0 disables top-k filtering
     */
    static NucleusSampler of(double temperature, double topP, int topK) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0 for sampling, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        return new NucleusSampler((float) (1.0 / temperature), topP, topK);
    }

    /**
     * Temperature, top-k and top-p over probabilities computed in double, candidates sorted lazily. The decoder's
     * TorchScript {@code draw} (TextDecoder.py) computes the same on the device from the same uniform; the two can
     * differ only where a last-ulp difference of exp (HotSpot's vs libtorch's) or of the total's summation order (index
     * order here without top-k, sorted order there) moves a boundary across the drawn uniform, odds ~1e-16 per draw.
     */
    final class NucleusSampler implements ReferenceSampler {

        /**
         * Tokens more than this below the maximum (after temperature) weigh < e^-40 each: even all 128k of them
         * together move the total by ~1e-12, so they get weight 0 without an exp.
         */
        private static final float NEGLIGIBLE = 40f;

        private final float inverseTemperature;
        private final double topP;
        private final int topK;

        NucleusSampler(float inverseTemperature, double topP, int topK) {
            this.inverseTemperature = inverseTemperature;
            this.topP = topP;
            this.topK = topK;
        }

        /** How far below its row's maximum a logit weighs 0: NEGLIGIBLE / inverseTemperature, in float. */
        private float negligibleSpan() {
            return NEGLIGIBLE / inverseTemperature;
        }

        @Override
        public int sample(float[] logits, int offset, int vocab, SplittableRandom random) {
            return draw(logits, offset, vocab, random.nextDouble());
        }

        /** The token that {@code uniform} in [0, 1) picks by inverse CDF from the warped distribution. */
        public int draw(float[] logits, int offset, int vocab, double uniform) {
            // temperature and softmax weights relative to the maximum
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < vocab; i++) {
                max = Math.max(max, logits[offset + i]);
            }
            float floor = max - negligibleSpan();
            double[] weights = new double[vocab];
            double total = 0;
            for (int i = 0; i < vocab; i++) {
                float logit = logits[offset + i];
                if (logit > floor) {
                    double w = Math.exp((logit - max) * inverseTemperature);
                    weights[i] = w;
                    total += w;
                }
            }
            // candidates in descending probability: the top-k, or without top-k a sorted head widened until it
            // covers top-p
            int limit = topK > 0 ? Math.min(topK, vocab) : vocab;
            int head = topK > 0 ? limit : Math.min(limit, 64);
            int[] order;
            while (true) {
                order = largest(weights, head);
                if (head == limit) {
                    break;
                }
                double covered = 0;
                for (int i = 0; i < head; i++) {
                    covered += weights[order[i]];
                }
                if (covered / total >= topP) {
                    break;
                }
                head = Math.min(limit, head * 8);
            }
            // top-k renormalises before top-p (transformers' warper order)
            double kTotal = 0;
            if (topK > 0) {
                for (int i = 0; i < head; i++) {
                    kTotal += weights[order[i]];
                }
            } else {
                kTotal = total;
            }
            // nucleus: the smallest head whose mass reaches topP (at least one token)
            int keep = 0;
            double kept = 0;
            while (keep < head) {
                kept += weights[order[keep]];
                keep++;
                if (kept / kTotal >= topP) {
                    break;
                }
            }
            // inverse CDF over the kept tokens: the first whose cumulative weight exceeds uniform × kept
            double r = uniform * kept;
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += weights[order[i]];
                if (r < cumulative) {
                    return order[i];
                }
            }
            return order[keep - 1];
        }

        /** Indices of the {@code k} largest weights, descending (ties by lower index). */
        private static int[] largest(double[] weights, int k) {
            if (k >= weights.length) {
                Integer[] all = new Integer[weights.length];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                Arrays.sort(all, (a, b) -> weights[a] != weights[b] ? Double.compare(weights[b], weights[a]) : Integer.compare(a, b));
                return Arrays.stream(all).mapToInt(Integer::intValue).toArray();
            }
            // bounded min-heap of the k best
            int[] heap = new int[k];
            int size = 0;
            for (int i = 0; i < weights.length; i++) {
                if (size < k) {
                    heap[size] = i;
                    siftUp(heap, size++, weights);
                } else if (better(i, heap[0], weights)) {
                    heap[0] = i;
                    siftDown(heap, size, weights);
                }
            }
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = heap[i];
            }
            Arrays.sort(boxed, (a, b) -> better(a, b, weights) ? -1 : better(b, a, weights) ? 1 : 0);
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = boxed[i];
            }
            return out;
        }

        private static boolean better(int a, int b, double[] w) {
            return w[a] > w[b] || (w[a] == w[b] && a < b);
        }

        private static void siftUp(int[] heap, int i, double[] w) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (better(heap[parent], heap[i], w)) {
                    int tmp = heap[parent];
                    heap[parent] = heap[i];
                    heap[i] = tmp;
                    i = parent;
                } else {
                    return;
                }
            }
        }

        private static void siftDown(int[] heap, int size, double[] w) {
            int i = 0;
            while (true) {
                int left = 2 * i + 1;
                int right = left + 1;
                int worst = i;
                if (left < size && better(heap[worst], heap[left], w)) {
                    worst = left;
                }
                if (right < size && better(heap[worst], heap[right], w)) {
                    worst = right;
                }
                if (worst == i) {
                    return;
                }
                int tmp = heap[worst];
                heap[worst] = heap[i];
                heap[i] = tmp;
                i = worst;
            }
        }
    }
}
