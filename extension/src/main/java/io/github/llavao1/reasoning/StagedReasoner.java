package io.github.llavao1.reasoning;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Runs LLaVA-o1's staged reasoning with inference-time search over a {@link ReasoningPort}: a port of the
 * search in the reference's {@code inference/demo/simple_inference.py} (PKU-YuanGroup/LLaVA-CoT), four modes
 * (see {@link ReasoningMode}), the default being the paper's stage-level beam search.
 *
 * <h2>Faithful to the reference</h2>
 * <ul>
 *   <li>Stages SUMMARY, CAPTION, REASONING, CONCLUSION in turn; N candidates sampled from the answer so far, each
 *       stopped at the stage's closing tag (or EOS, or the budget); the next stage continues from the winner's
 *       exact tokens.</li>
 *   <li>The winner comes out of a random knockout: two candidates drawn, the winner put back, N−1 pairings.</li>
 *   <li>Self-judgement: the same model, the image attached, a new user turn with the verbatim judge prompt
 *       ({@code judge-prompts.json}, "Repsonse" and the typographic apostrophe included); output containing
 *       "I choose response 1" keeps the first candidate, anything else the second.</li>
 *   <li>REASONING stage: the text-only correctness pre-check of the first candidate, then of the second, before
 *       the judge; "incorrect" decides at once.</li>
 *   <li>Sampling at temperature 0.6 / top-p 0.9 for every call; 2048 new tokens per call (the two BOS tokens
 *       are the engine's, {@code EngineOptions.doubleBos}).</li>
 * </ul>
 *
 * <h2>Better than the reference</h2>
 * <ul>
 *   <li>Cost: a step's N candidates are one batched call from the shared prefix, and the backend encodes the image
 *       once per request (see {@link ReasoningRequest#open}); {@link ReasoningSettings#sequential()} restores the
 *       reference's cost model for measuring the difference.</li>
 *   <li>Reproducible: every call's seed and every knockout's pairing order come from {@link ReasoningSettings#seed()}
 *       through one {@link SplittableRandom} split per step; the result reports the seed used.</li>
 *   <li>Malformed candidates (missing opening tag, or ended before the closing tag) never reach a judge: they lose
 *       to well-formed ones without a call, and of two malformed the earlier-sampled stays; so the winner is
 *       well-formed whenever any candidate is, and candidate 0 when none is. The reference instead drops them
 *       from the judge prompt, shifting the numbering so a "response 1" verdict can keep the wrong one, and its
 *       pre-check crashes with fewer than two valid items. A reasoning candidate is pre-checked at most once per
 *       stage.</li>
 *   <li>Structure survives a model that ignores the format: all four stage texts are always present, repaired by
 *       {@link AnswerParser} and listed in {@link ReasoningResult#repairedStages()}; a stage already written in
 *       full by an earlier winner is not searched again; a winner that ends with EOS ends the answer.</li>
 *   <li>Per-stage token budgets; stop strings are matched in the generated text only (the reference also matches
 *       the prompt, so a question quoting a closing tag stops every candidate at once).</li>
 *   <li>Cancellation between calls and between tokens, and a listener that streams candidates' tokens and each
 *       step's winner as soon as it is decided.</li>
 * </ul>
 * See {@code extension/REASONING.md} for the full account. Instances are immutable and may be shared; each
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
