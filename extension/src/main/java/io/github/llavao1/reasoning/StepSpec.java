package io.github.llavao1.reasoning;

import java.util.List;

/**
 * What one search step samples and how its candidates are judged.
 *
 * @param step         the step's name
 * @param stage        the stage searched, or {@code null}
 * @param prefix       prompt plus the answer so far, as token ids
 * @param n            how many candidates
 * @param maxNewTokens per-candidate budget
 * @param stopStrings  a candidate ends where its text contains one of these
 * @param stopSuffixes a candidate ends where its text ends with one of these
 * @param classifier   decides each candidate's format and judge item
 * @param judgeKind    the judge prompt's key
 * @param hint         the judge's hint ({@code null} or empty: none)
 * @param precheck     whether the reasoning pre-check runs before the pairwise judge
 */
record StepSpec(String step, Stage stage, int[] prefix, int n, int maxNewTokens, List<String> stopStrings,
                List<String> stopSuffixes, Classifier classifier, String judgeKind, String hint, boolean precheck) {

    /** A candidate's format and, when well-formed, what the judge is shown of it. */
    record Classification(CandidateFormat format, String item) {

        static Classification wellFormed(String item) {
            return new Classification(CandidateFormat.WELL_FORMED, item);
        }

        static Classification malformed(CandidateFormat format) {
            return new Classification(format, null);
        }
    }

    @FunctionalInterface
    interface Classifier {
        Classification classify(Generation generation);
    }
}
