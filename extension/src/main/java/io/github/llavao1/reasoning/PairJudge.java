package io.github.llavao1.reasoning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decides one pairing of a step's knockout, in this order:
 * <ol>
 *   <li>format: a malformed candidate never reaches a judge; well-formed beats malformed, and of two malformed
 *       candidates the earlier-sampled stays (no call either way), so with none well-formed candidate 0 wins;</li>
 *   <li>{@link JudgeStrategy#FIRST_CANDIDATE}: the earlier-sampled candidate wins (no call);</li>
 *   <li>the reasoning pre-check (REASONING stage only, when enabled): the first candidate's reasoning is checked
 *       text-only; "incorrect" hands the pairing to the second at once; otherwise the second is checked and
 *       "incorrect" hands it to the first. A candidate is checked at most once per step (a survivor's earlier
 *       check is reused; it can only have been "correct", since "incorrect" eliminates);</li>
 *   <li>the self-judge: the verbatim judge prompt with the request's images; "I choose response 1" keeps the
 *       first.</li>
 * </ol>
 */
final class PairJudge {

    private final SearchContext context;
    private final StepSpec spec;
    private final SplittableRandom random;
    private final Map<Integer, Precheck> prechecked = new HashMap<>();

    PairJudge(SearchContext context, StepSpec spec, SplittableRandom random) {
        this.context = context;
        this.spec = spec;
        this.random = random;
    }

    Judgement decide(Candidate first, Candidate second) {
        if (first.wellFormed() != second.wellFormed()) {
            return noCall(first, second, first.wellFormed() ? Verdict.FIRST : Verdict.SECOND, DecidedBy.FORMAT);
        }
        if (!first.wellFormed()) {
            return noCall(first, second, earlier(first, second), DecidedBy.FORMAT);
        }
        if (context.settings.judgeStrategy() == JudgeStrategy.FIRST_CANDIDATE) {
            return noCall(first, second, earlier(first, second), DecidedBy.STRATEGY);
        }
        List<Precheck> ran = new ArrayList<>();
        if (spec.precheck() && context.settings.reasoningPrecheck()) {
            if (precheck(first, ran).incorrect()) {
                return new Judgement(first.index(), second.index(), Verdict.SECOND, DecidedBy.PRECHECK, null, ran,
                        tokens(ran));
            }
            if (precheck(second, ran).incorrect()) {
                return new Judgement(first.index(), second.index(), Verdict.FIRST, DecidedBy.PRECHECK, null, ran,
                        tokens(ran));
            }
        }
        String prompt = context.prompts.pairwise(spec.judgeKind(), context.question, spec.hint(), first.item(),
                second.item());
        Generation output = context.judge(spec.step(), prompt, random.nextLong());
        return new Judgement(first.index(), second.index(), Verdict.parse(output.text()), DecidedBy.JUDGE,
                output.text(), ran, tokens(ran) + output.tokens().length);
    }

    private Precheck precheck(Candidate candidate, List<Precheck> ran) {
        Precheck cached = prechecked.get(candidate.index());
        if (cached != null) {
            return cached;
        }
        String hint = spec.hint() == null ? "" : spec.hint();
        Generation output = context.check(spec.step(), context.prompts.reasoningCheck(hint, candidate.item()),
                random.nextLong());
        Precheck check = Precheck.of(candidate.index(), output);
        prechecked.put(candidate.index(), check);
        ran.add(check);
        return check;
    }

    private static Verdict earlier(Candidate first, Candidate second) {
        return first.index() < second.index() ? Verdict.FIRST : Verdict.SECOND;
    }

    private static Judgement noCall(Candidate first, Candidate second, Verdict verdict, DecidedBy decidedBy) {
        return new Judgement(first.index(), second.index(), verdict, decidedBy, null, List.of(), 0);
    }

    private static int tokens(List<Precheck> checks) {
        int sum = 0;
        for (Precheck check : checks) {
            sum += check.tokens();
        }
        return sum;
    }
}
