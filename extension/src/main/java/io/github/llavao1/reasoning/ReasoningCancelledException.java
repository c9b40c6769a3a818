package io.github.llavao1.reasoning;

/** The caller cancelled a search through {@link ReasoningListener#isCancelled()}. */
public class ReasoningCancelledException extends RuntimeException {

    public ReasoningCancelledException(String step) {
        super("reasoning cancelled during step " + step);
    }
}
