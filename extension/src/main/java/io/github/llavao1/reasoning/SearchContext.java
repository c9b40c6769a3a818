package io.github.llavao1.reasoning;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Per-request state shared by the steps of a search: the request's port, its question prompt, the request's seeded
 * random source and the cancellation check. Every port call of a search goes through here.
 */
final class SearchContext {

    final ReasoningPort port;
    final ReasoningSettings settings;
    final ReasoningListener listener;
    final JudgePrompts prompts;
    final String question;
    final int[] prompt;
    private final int candidateTopK;
    private final int judgeTopK;
    private final SplittableRandom random;

    SearchContext(ReasoningPort port, ReasoningSettings settings, ReasoningListener listener, long seed) {
        this.port = port;
        this.settings = settings;
        this.listener = listener;
        this.prompts = JudgePrompts.bundled();
        this.question = port.question();
        this.random = new SplittableRandom(seed);
        this.candidateTopK = settings.candidateTopK() != null ? settings.candidateTopK() : port.defaultTopK();
        this.judgeTopK = settings.judgeTopK() != null ? settings.judgeTopK() : port.defaultTopK();
        checkCancelled("PROMPT");
        this.prompt = port.questionPrompt();
    }

    /**
     * An independent random source for the next step. Splitting per step (instead of sharing one stream) keeps a
     * step's seeds and pairing order fixed by its position in the search alone.
     */
    SplittableRandom nextStepRandom() {
        return random.split();
    }

    /** Samples a step's candidates as one batch, forwarding their tokens to the listener. */
    List<Generation> sampleCandidates(StepSpec spec, long seed) {
        String step = spec.step();
        checkCancelled(step);
        Sampling sampling = new Sampling(settings.candidateTemperature(), settings.candidateTopP(), candidateTopK,
                spec.maxNewTokens(), spec.stopStrings(), spec.stopSuffixes(), seed);
        SequenceListener forward = (sequence, tokenId, textDelta) -> {
            checkCancelled(step);
            listener.onCandidateToken(step, sequence, textDelta);
        };
        return checked(step, spec.n(), port.sampleCandidates(spec.stage(), spec.prefix(), spec.n(), sampling, forward));
    }

    /**
     * One pairwise judge call: {@code text} as a new user turn with the request's images (the reference starts a
     * fresh conversation for every judgement), sampled with the judge's settings until EOS or the judge budget.
     */
    Generation judge(String step, String text, long seed) {
        return sampleJudge(step, text, true, seed);
    }

    /** One reasoning pre-check: as {@link #judge}, but text-only. */
    Generation check(String step, String text, long seed) {
        return sampleJudge(step, text, false, seed);
    }

    private Generation sampleJudge(String step, String text, boolean withImages, long seed) {
        checkCancelled(step);
        Sampling sampling = new Sampling(settings.judgeTemperature(), settings.judgeTopP(), judgeTopK,
                settings.judgeMaxTokens(), List.of(), List.of(), seed);
        Generation output = port.sampleJudge(text, withImages, sampling,
                (sequence, tokenId, textDelta) -> checkCancelled(step));
        return checked(step, 1, output == null ? null : List.of(output)).get(0);
    }

    void checkCancelled(String step) {
        if (listener.isCancelled()) {
            throw new ReasoningCancelledException(step);
        }
    }

    private static List<Generation> checked(String step, int n, List<Generation> generations) {
        if (generations == null || generations.size() != n) {
            throw new IllegalStateException("the port returned " + (generations == null ? "null" : generations.size())
                    + " generations for n=" + n + " in step " + step);
        }
        for (Generation generation : generations) {
            if (generation.finishReason() == StopReason.CANCELLED) {
                throw new ReasoningCancelledException(step);
            }
        }
        return generations;
    }
}
