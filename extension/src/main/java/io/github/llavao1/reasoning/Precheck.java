package io.github.llavao1.reasoning;

import java.util.Objects;

/**
 * One text-only correctness check of a candidate's reasoning.
 *
 * @param candidate the checked candidate's index
 * @param output    the model's answer
 * @param incorrect whether the answer contains "incorrect" (the reference's test)
 * @param tokens    tokens the check generated
 */
public record Precheck(int candidate, String output, boolean incorrect, int tokens) {

    static final String INCORRECT = "incorrect";

    public Precheck {
        Objects.requireNonNull(output, "output");
    }

    static Precheck of(int candidate, Generation generation) {
        return new Precheck(candidate, generation.text(), generation.text().contains(INCORRECT),
                generation.tokens().length);
    }
}
