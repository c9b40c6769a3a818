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
 * @param maxNewTokens per-sequence token budget
 * @param stopStrings  a sequence ends once its generated text contains one of these
 * @param seed         seeds the sampler, so the same request gives the same sequences
 */
public record GenerationRequest(int[] prefix, boolean withImages, int n, double temperature, double topP,
                                int maxNewTokens, List<String> stopStrings, long seed) {

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
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, was " + maxNewTokens);
        }
        if (stopStrings == null || stopStrings.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException("stopStrings must be a list of non-empty strings, was " + stopStrings);
        }
        stopStrings = List.copyOf(stopStrings);
    }
}
