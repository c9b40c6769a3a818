package io.github.llavao1.reasoning;

import java.util.List;

/** A port that hands every call to another, for wrappers that change or count one or two of them. */
public abstract class ForwardingReasoningPort implements ReasoningPort {

    private final ReasoningPort delegate;

    protected ForwardingReasoningPort(ReasoningPort delegate) {
        this.delegate = delegate;
    }

    @Override
    public String question() {
        return delegate.question();
    }

    @Override
    public int[] questionPrompt() {
        return delegate.questionPrompt();
    }

    @Override
    public List<Generation> sampleCandidates(Stage stage, int[] prefix, int n, Sampling sampling,
                                             SequenceListener listener) {
        return delegate.sampleCandidates(stage, prefix, n, sampling, listener);
    }

    @Override
    public Generation sampleJudge(String text, boolean withImages, Sampling sampling, SequenceListener listener) {
        return delegate.sampleJudge(text, withImages, sampling, listener);
    }

    @Override
    public int defaultTopK() {
        return delegate.defaultTopK();
    }

    @Override
    public String decode(int[] tokens) {
        return delegate.decode(tokens);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
