package io.github.llavao1.engine.generate;

import io.github.llavao1.validation.SamplingChecks;
import java.util.List;

/**
 * Validated decoding settings. {@code temperature == 0} means greedy (argmax); otherwise transformers-style
 * sampling with temperature, top-p and top-k, from a random source seeded by {@code seed}. Both run on the device
 * (TextDecoder.py's greedy and draw); Java keeps these settings and each sequence's seeded stream.
 *
 * @param maxNewTokens at least 1
 * @param temperature 0 for greedy, else > 0
 * @param topP in (0, 1]
 * @param topK 0 = off
 * @param seed seeds every sequence's random source (sequence i uses a stream derived from seed and i)
 * @param stopStrings generation of a sequence ends once its text contains one of these
 * @param stopSuffixes generation of a sequence ends once its text ends with one of these, as transformers'
 *     stopping criteria that test {@code decoded.endswith(s)} do (LLaVA-o1's {@code StopOnPeriod}): a token that
 *     continues past the suffix, such as {@code ".\n\n"} or {@code ".g"} after a period, does not stop
 * @param ignoreEos keep generating through end-of-sequence tokens (benchmarks, golden tests)
 */
public record GenerationOptions(int maxNewTokens, double temperature, double topP, int topK, long seed,
        List<String> stopStrings, List<String> stopSuffixes, boolean ignoreEos) {

    public static final int DEFAULT_MAX_NEW_TOKENS = 2048;

    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        SamplingChecks.temperature("temperature", temperature);
        SamplingChecks.topP("topP", topP);
        SamplingChecks.topK("topK", topK);
        stopStrings = nonEmptyStrings("stopStrings", stopStrings);
        stopSuffixes = nonEmptyStrings("stopSuffixes", stopSuffixes);
    }

    private static List<String> nonEmptyStrings(String field, List<String> values) {
        List<String> copy = values == null ? List.of() : List.copyOf(values);
        for (String value : copy) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(field + " must not contain an empty string");
            }
        }
        return copy;
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Greedy decoding of at most {@code maxNewTokens}. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return builder().maxNewTokens(maxNewTokens).temperature(0).build();
    }

    public Builder toBuilder() {
        return new Builder().maxNewTokens(maxNewTokens).temperature(temperature).topP(topP).topK(topK).seed(seed)
                .stopStrings(stopStrings).stopSuffixes(stopSuffixes).ignoreEos(ignoreEos);
    }

    /** Defaults: LLaVA-o1's sampling (temperature 0.6, top-p 0.9), 2048 new tokens, seed 0. */
    public static final class Builder {
        private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
        private double temperature = 0.6;
        private double topP = 0.9;
        private int topK;
        private long seed;
        private List<String> stopStrings = List.of();
        private List<String> stopSuffixes = List.of();
        private boolean ignoreEos;

        public Builder maxNewTokens(int value) {
            this.maxNewTokens = value;
            return this;
        }

        public Builder temperature(double value) {
            this.temperature = value;
            return this;
        }

        public Builder topP(double value) {
            this.topP = value;
            return this;
        }

        public Builder topK(int value) {
            this.topK = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder stopStrings(List<String> value) {
            this.stopStrings = value;
            return this;
        }

        public Builder stopSuffixes(List<String> value) {
            this.stopSuffixes = value;
            return this;
        }

        public Builder ignoreEos(boolean value) {
            this.ignoreEos = value;
            return this;
        }

        public GenerationOptions build() {
            return new GenerationOptions(maxNewTokens, temperature, topP, topK, seed, stopStrings, stopSuffixes, ignoreEos);
        }
    }
}
