package io.github.llavao1.reasoning;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Per-request state shared by the steps of a search: the backend session, the rendered prompt, the request's seeded
 * random source and the cancellation check. Every backend call of a search goes through here.
 */
final class SearchContext {

    final ReasoningSession session;
    final ReasoningSettings settings;
    final ReasoningListener listener;
    final JudgePrompts prompts;
    final String question;
    final boolean withImages;
    final int[] prompt;
    private final int candidateTopK;
    private final int judgeTopK;
    private final SplittableRandom random;

    SearchContext(ReasoningSession session, ReasoningSettings settings, ReasoningListener listener,
                  String question, boolean withImages, long seed) {
        this.session = session;
        this.settings = settings;
        this.listener = listener;
        this.prompts = JudgePrompts.bundled();
        this.question = question;
        this.withImages = withImages;
        this.random = new SplittableRandom(seed);
        this.candidateTopK = settings.candidateTopK() != null ? settings.candidateTopK() : session.defaultTopK();
        this.judgeTopK = settings.judgeTopK() != null ? settings.judgeTopK() : session.defaultTopK();
        checkCancelled("PROMPT");
        this.prompt = session.userPrompt(question, withImages, settings.doubleBos());
    }

    /**
     * An independent random source for the next step. Splitting per step (instead of sharing one stream) keeps a
     * step's seeds and pairing order fixed by its position in the search alone.
     */
    SplittableRandom nextStepRandom() {
        return random.split();
    }

    /** Samples a step's candidates as one batch, forwarding their tokens to the listener. */
    List<Generation> sampleCandidates(String step, int[] prefix, int n, int maxNewTokens, List<String> stopStrings,
                                      List<String> stopSuffixes, long seed) {
        checkCancelled(step);
        GenerationRequest request = new GenerationRequest(prefix, withImages, n, settings.candidateTemperature(),
                settings.candidateTopP(), candidateTopK, maxNewTokens, stopStrings, stopSuffixes, seed);
        TokenListener forward = (sequence, tokenId, textDelta) -> {
            checkCancelled(step);
            listener.onCandidateToken(step, sequence, textDelta);
        };
        return checked(step, request, session.generate(request, forward));
    }

    /**
     * One judge or pre-check call: {@code text} as a new user turn (the reference starts a fresh conversation for
     * every judgement), sampled with the judge's settings until EOS or the judge budget.
     */
    Generation judge(String step, String text, boolean judgeWithImages, long seed) {
        checkCancelled(step);
        int[] judgePrompt = session.userPrompt(text, judgeWithImages, settings.doubleBos());
        GenerationRequest request = new GenerationRequest(judgePrompt, judgeWithImages, 1,
                settings.judgeTemperature(), settings.judgeTopP(), judgeTopK, settings.judgeMaxTokens(), List.of(), List.of(),
                seed);
        return checked(step, request, session.generate(request, (sequence, tokenId, textDelta) -> checkCancelled(step)))
                .get(0);
    }

    void checkCancelled(String step) {
        if (listener.isCancelled()) {
            throw new ReasoningCancelledException(step);
        }
    }

    private List<Generation> checked(String step, GenerationRequest request, List<Generation> generations) {
        if (generations == null || generations.size() != request.n()) {
            throw new IllegalStateException("backend returned " + (generations == null ? "null" : generations.size())
                    + " generations for n=" + request.n() + " in step " + step);
        }
        for (Generation generation : generations) {
            if (generation.finishReason() == FinishReason.CANCELLED) {
                throw new ReasoningCancelledException(step);
            }
        }
        return generations;
    }
}
