package io.github.llavao1.reasoning;

import java.util.List;
import java.util.Objects;

/**
 * What one search step did: a stage of the stage-level search, a sentence of the sentence-level search, or the
 * whole answer of the plain and best-of-N modes.
 *
 * @param step            the step's name: the stage ({@code "CAPTION"}), {@code "SENTENCE 3"} or {@code "ANSWER"}
 * @param stage           the stage searched, or {@code null} when the step is not a stage
 * @param candidates      every candidate sampled, in batch order
 * @param judgements      the knockout's pairings in order; always {@code candidates.size() - 1} of them
 * @param winner          the index of the candidate the answer continues from
 * @param candidateTokens tokens sampled for the candidates
 * @param judgeTokens     tokens sampled by judge and pre-check calls
 * @param wallMillis      wall time of the step
 */
public record StageTrace(String step, Stage stage, List<Candidate> candidates, List<Judgement> judgements,
                         int winner, int candidateTokens, int judgeTokens, long wallMillis) {

    public StageTrace {
        Objects.requireNonNull(step, "step");
        candidates = List.copyOf(candidates);
        judgements = List.copyOf(judgements);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("step " + step + " has no candidates");
        }
        if (judgements.size() != candidates.size() - 1) {
            throw new IllegalArgumentException("step " + step + " has " + judgements.size() + " judgements for "
                    + candidates.size() + " candidates; a knockout has exactly one fewer");
        }
        if (winner < 0 || winner >= candidates.size()) {
            throw new IllegalArgumentException("step " + step + " winner " + winner + " is not a candidate");
        }
    }

    /** The candidate the answer continues from. */
    public Candidate winnerCandidate() {
        return candidates.get(winner);
    }
}
