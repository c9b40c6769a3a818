package io.github.llavao1.reasoning;

import java.util.function.BooleanSupplier;

/**
 * Progress of a running search, for streaming: candidates' tokens as they are sampled, and each step's winner as
 * soon as it is decided. Called on the searching thread; an exception thrown here aborts the search (the request's
 * port is closed either way).
 */
public interface ReasoningListener {

    /** A listener that ignores everything and never cancels. */
    ReasoningListener NONE = new ReasoningListener() {
    };

    /**
     * A token of a candidate (never of a judge or pre-check call). In {@link ReasoningMode#PLAIN} mode the only
     * candidate is the answer, so these are the answer's tokens.
     *
     * @param step      the step's name, as in {@link StageTrace#step()}
     * @param candidate the candidate's index in its batch
     */
    default void onCandidateToken(String step, int candidate, String textDelta) {
    }

    /** A step is decided; {@code trace.winnerCandidate().text()} is the text the answer continues with. */
    default void onStepDecided(StageTrace trace) {
    }

    /**
     * Polled before every backend call and after every token; once {@code true}, the search stops with a
     * {@link ReasoningCancelledException}.
     */
    default boolean isCancelled() {
        return false;
    }

    /** This listener, also cancelled once {@code condition} is true (a client gone, a time limit passed). */
    default ReasoningListener cancelledAlsoWhen(BooleanSupplier condition) {
        ReasoningListener listener = this;
        return new ReasoningListener() {
            @Override
            public void onCandidateToken(String step, int candidate, String textDelta) {
                listener.onCandidateToken(step, candidate, textDelta);
            }

            @Override
            public void onStepDecided(StageTrace trace) {
                listener.onStepDecided(trace);
            }

            @Override
            public boolean isCancelled() {
                return listener.isCancelled() || condition.getAsBoolean();
            }
        };
    }
}
