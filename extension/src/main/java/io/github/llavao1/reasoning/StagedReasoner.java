package io.github.llavao1.reasoning;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Runs LLaVA-o1's staged reasoning with inference-time search over a {@link ReasoningPort}: a port of the
 * search in the reference's {@code inference/demo/simple_inference.py} (PKU-YuanGroup/LLaVA-CoT), four modes
 * (see {@link ReasoningMode}), the default being the paper's stage-level beam search. What it keeps of the reference
 * and where it departs (batched candidates, seeded reproducibility, malformed candidates, repaired structure, stop
 * strings, cancellation) is {@code extension/REASONING.md}. Instances are immutable and may be shared; each
 * {@link #reason} call opens its request's port and closes it when the search ends.
 */
public final class StagedReasoner {

    private final ReasoningSettings settings;

    public StagedReasoner(ReasoningSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
    }

    public ReasoningSettings settings() {
        return settings;
    }

    public ReasoningResult reason(ReasoningRequest request) {
        return reason(request, ReasoningListener.NONE);
    }

    /**
     * Answers the question of {@code request} (about its images, if any: without, every prompt is text-only).
     *
     * @throws ReasoningCancelledException when {@code listener} asks to cancel
     */
    public ReasoningResult reason(ReasoningRequest request, ReasoningListener listener) {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(listener, "listener must not be null (use ReasoningListener.NONE)");
        long seed = settings.seed() != null ? settings.seed() : new SplittableRandom().nextLong();
        long start = System.nanoTime();
        try (ReasoningPort port = request.open(settings.sequential())) {
            SearchContext context = new SearchContext(port, settings, listener, seed);
            AnswerSoFar answer = switch (settings.mode()) {
                case PLAIN -> WholeAnswerSearch.run(context, false);
                case BEST_OF_N -> WholeAnswerSearch.run(context, true);
                case STAGE_BEAM -> StageBeamSearch.run(context);
                case SENTENCE_BEAM -> SentenceBeamSearch.run(context);
            };
            int[] answerTokens = answer.tokens();
            String text = port.decode(answerTokens);
            List<StageTrace> steps = answer.steps();
            AnswerParser.Parsed parsed = AnswerParser.parse(text, stepTexts(steps));
            int candidateTokens = 0;
            int judgeTokens = 0;
            for (StageTrace step : steps) {
                candidateTokens += step.candidateTokens();
                judgeTokens += step.judgeTokens();
            }
            long wallMillis = (System.nanoTime() - start) / 1_000_000;
            return new ReasoningResult(settings.mode(), seed, parsed.text(Stage.SUMMARY), parsed.text(Stage.CAPTION),
                    parsed.text(Stage.REASONING), parsed.text(Stage.CONCLUSION), text, parsed.repaired(), steps,
                    answerTokens.length, candidateTokens, judgeTokens, wallMillis);
        }
    }

    /** The winning text of each stage that had a step of its own (stage-level search). */
    private static Map<Stage, String> stepTexts(List<StageTrace> steps) {
        Map<Stage, String> texts = new EnumMap<>(Stage.class);
        for (StageTrace step : steps) {
            if (step.stage() != null) {
                texts.put(step.stage(), step.winnerCandidate().text());
            }
        }
        return texts;
    }
}
