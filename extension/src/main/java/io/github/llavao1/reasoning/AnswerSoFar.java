package io.github.llavao1.reasoning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The answer a search has committed to: the winners' exact tokens (the next step's prefix continues from them,
 * never from re-tokenised text), their concatenated text, and the steps that chose them.
 */
final class AnswerSoFar {

    private final int[] prompt;
    private int[] tokens = new int[0];
    private final StringBuilder text = new StringBuilder();
    private final List<StageTrace> steps = new ArrayList<>();

    AnswerSoFar(int[] prompt) {
        this.prompt = prompt;
    }

    /** Commits a decided step: appends its winner's tokens and text. */
    Candidate append(StageTrace trace) {
        Candidate winner = trace.winnerCandidate();
        int[] grown = Arrays.copyOf(tokens, tokens.length + winner.tokens().length);
        System.arraycopy(winner.tokens(), 0, grown, tokens.length, winner.tokens().length);
        tokens = grown;
        text.append(winner.text());
        steps.add(trace);
        return winner;
    }

    /** Prompt ids followed by the answer's tokens: the prefix of the next step. */
    int[] prefix() {
        int[] prefix = Arrays.copyOf(prompt, prompt.length + tokens.length);
        System.arraycopy(tokens, 0, prefix, prompt.length, tokens.length);
        return prefix;
    }

    int[] tokens() {
        return tokens.clone();
    }

    int tokenCount() {
        return tokens.length;
    }

    String text() {
        return text.toString();
    }

    List<StageTrace> steps() {
        return List.copyOf(steps);
    }
}
