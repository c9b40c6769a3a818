package io.github.llavao1.reasoning;

import io.github.llavao1.validation.SamplingChecks;
import java.util.List;

/**
 * How one sampling call of the search decodes and where its sequences stop.
 *
 * @param temperature  softmax temperature; 0 means greedy
 * @param topP         nucleus mass in (0, 1]
 * @param topK         keep the k most likely tokens before top-p; 0 = off
 * @param maxNewTokens per-sequence token budget
 * @param stopStrings  a sequence ends once its generated text contains one of these
 * @param stopSuffixes a sequence ends once its generated text ends with one of these (the reference's
 *                     {@code StopOnPeriod}: {@code decoded.endswith('.')}, so {@code ".\n\n"} does not stop)
 * @param seed         seeds the sampler, so the same call gives the same sequences
 */
public record Sampling(double temperature, double topP, int topK, int maxNewTokens, List<String> stopStrings,
                       List<String> stopSuffixes, long seed) {

    public Sampling {
        SamplingChecks.temperature("temperature", temperature);
        SamplingChecks.topP("topP", topP);
        SamplingChecks.topK("topK", topK);
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
