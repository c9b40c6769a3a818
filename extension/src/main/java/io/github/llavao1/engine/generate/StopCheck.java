package io.github.llavao1.engine.generate;

import java.util.List;

/**
 * Whether a sequence's text has reached a stop: it contains one of {@code stopStrings} (transformers'
 * {@code StopStringCriteria}, LLaVA-o1's {@code StopOnStrings}) or ends with one of {@code stopSuffixes}
 * (LLaVA-o1's {@code StopOnPeriod}: {@code decoded.endswith('.')}). Checked after each token's text is appended,
 * so a token that carries a period followed by more text ({@code ".\n\n"}, {@code ".\""}, {@code ".g"}) ends the
 * sequence by a contained string but not by a suffix.
 */
public record StopCheck(List<String> stopStrings, List<String> stopSuffixes) {

    public StopCheck {
        stopStrings = List.copyOf(stopStrings);
        stopSuffixes = List.copyOf(stopSuffixes);
    }

    public static StopCheck of(GenerationOptions options) {
        return new StopCheck(options.stopStrings(), options.stopSuffixes());
    }

    /** {@code text} after a token's text was appended to its first {@code previousLength} characters. */
    public boolean reached(StringBuilder text, int previousLength) {
        for (String stop : stopStrings) {
            int from = Math.max(0, previousLength - stop.length() + 1);
            if (text.indexOf(stop, from) >= 0) {
                return true;
            }
        }
        for (String suffix : stopSuffixes) {
            int at = text.length() - suffix.length();
            if (at >= 0 && text.indexOf(suffix, at) == at) {
                return true;
            }
        }
        return false;
    }
}
