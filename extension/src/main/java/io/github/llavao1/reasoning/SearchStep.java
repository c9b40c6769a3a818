package io.github.llavao1.reasoning;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One step of any search: sample N candidates as one batch, classify them, and run the reference's random
 * knockout (two candidates drawn at random, the winner put back, until one is left: N−1 pairings), drawn from the
 * step's seeded random source instead of the reference's unseeded {@code np.random}.
 */
final class SearchStep {

    private SearchStep() {
    }

    static StageTrace run(SearchContext context, StepSpec spec) {
        long start = System.nanoTime();
        SplittableRandom random = context.nextStepRandom();
        List<Generation> generations = context.sampleCandidates(spec, random.nextLong());

        List<Candidate> candidates = new ArrayList<>(generations.size());
        int candidateTokens = 0;
        for (int i = 0; i < generations.size(); i++) {
            Generation generation = generations.get(i);
            StepSpec.Classification classification = spec.classifier().classify(generation);
            candidates.add(new Candidate(i, generation.text(), generation.tokens(), generation.finishReason(),
                    classification.format(), classification.item()));
            candidateTokens += generation.tokens().length;
        }

        PairJudge judge = new PairJudge(context, spec, random);
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            pool.add(i);
        }
        List<Judgement> judgements = new ArrayList<>();
        int judgeTokens = 0;
        while (pool.size() > 1) {
            Candidate first = candidates.get(pool.remove(random.nextInt(pool.size())));
            Candidate second = candidates.get(pool.remove(random.nextInt(pool.size())));
            Judgement judgement = judge.decide(first, second);
            judgements.add(judgement);
            judgeTokens += judgement.judgeTokens();
            pool.add(judgement.winner());
        }

        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        StageTrace trace = new StageTrace(spec.step(), spec.stage(), candidates, judgements, pool.get(0),
                candidateTokens, judgeTokens, wallMillis);
        context.listener.onStepDecided(trace);
        return trace;
    }
}
