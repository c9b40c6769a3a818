package io.github.llavao1.reasoning;

import java.util.List;

/**
 * One batched sampling call.
 *
 * @param prefix       the full context as token ids (prompt and everything generated so far)
 * @param withImages   whether the images' cross-attention applies (false for a text-only prompt)
 * @param n            how many sequences to sample from the shared prefix
 * @param temperature  softmax temperature; 0 means greedy
 * @param topP         nucleus mass in (0, 1]
 * @param topK         keep the k most likely tokens before top-p; 0 = off
 * @param maxNewTokens per-sequence token budget
 * @param stopStrings  a sequence ends once its generated text contains one of these
 * @param stopSuffixes a sequence ends once its generated text ends with one of these (the reference's
 *                     {@code StopOnPeriod}: {@code decoded.endswith('.')}, so {@code ".\n\n"} does not stop)
 * @param seed         seeds the sampler, so the same request gives the same sequences
 */
public record GenerationRequest(int[] prefix, boolean withImages, int n, double temperature, double topP, int topK,
                                int maxNewTokens, List<String> stopStrings, List<String> stopSuffixes, long seed) {

    public GenerationRequest {
        if (prefix == null || prefix.length == 0) {
            throw new IllegalArgumentException("prefix must hold at least one token");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        if (!(temperature >= 0)) {
            throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), was " + topK);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, was " + maxNewTokens);
        }
        stopStrings = nonEmptyStrings("stopStrings", stopStrings);
        stopSuffixes = nonEmptyStrings("stopSuffixes", stopSuffixes);
    }

    private static List<String> nonEmptyStrings(String field, List<String> values) {
        if (values == null || values.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException(field + " must be a list of non-empty strings, was " + values);
        }
        return List.copyOf(values);
    }
}
