package io.github.llavao1.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.reasoning.ScriptedBackend.Call;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.llavao1.reasoning.StageBeamSearchTest.run;
import static io.github.llavao1.reasoning.StageBeamSearchTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeded reproducibility, JSON round trip, streaming callbacks and cancellation. */
class ReproducibilityAndStreamingTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The result as JSON without wall times, which are the only part a seed cannot fix. */
    static JsonNode withoutTimes(ReasoningResult result) {
        JsonNode tree = JSON.valueToTree(result);
        stripTimes(tree);
        return tree;
    }

    private static void stripTimes(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("wallMillis");
        }
        node.forEach(ReproducibilityAndStreamingTest::stripTimes);
    }

    static List<Long> seeds(ScriptedBackend backend) {
        return backend.calls.stream().map(call -> call.request().seed()).toList();
    }

    @Test
    void theSameSeedGivesTheSameSearch() {
        ScriptedBackend first = new ScriptedBackend();
        ScriptedBackend second = new ScriptedBackend();
        ReasoningResult a = run(first, settings(4).seed(7L).build());
        ReasoningResult b = run(second, settings(4).seed(7L).build());

        assertEquals(seeds(first), seeds(second));
        assertEquals(withoutTimes(a), withoutTimes(b));
        assertEquals(7L, a.seed());

        ScriptedBackend other = new ScriptedBackend();
        ReasoningResult c = run(other, settings(4).seed(8L).build());
        assertNotEquals(seeds(first), seeds(other));
        assertNotEquals(withoutTimes(a), withoutTimes(c));
    }

    @Test
    void theSeedDecidesThePairingOrder() {
        List<List<Integer>> orders = new ArrayList<>();
        for (long seed = 0; seed < 8; seed++) {
            ReasoningResult result = run(new ScriptedBackend(), settings(4).seed(seed).build());
            Judgement opening = result.steps().get(0).judgements().get(0);
            orders.add(List.of(opening.first(), opening.second()));
        }
        assertTrue(orders.stream().distinct().count() > 1, "pairings vary with the seed: " + orders);
    }

    @Test
    void withoutASeedTheDrawnSeedIsReportedAndReproducesTheSearch() {
        ReasoningResult drawn = run(new ScriptedBackend(), settings(3).seed(null).build());
        ReasoningResult again = run(new ScriptedBackend(), settings(3).seed(drawn.seed()).build());
        assertEquals(withoutTimes(drawn), withoutTimes(again));
    }

    @Test
    void resultRoundTripsThroughJson() throws Exception {
        ScriptedBackend backend = new ScriptedBackend().batch("<SUMMARY>a</SUMMARY>", "unclosed", "<SUMMARY>b</SUMMARY>")
                .prechecks("correct", "incorrect");
        ReasoningResult result = run(backend, settings(3).build());

        String json = JSON.writeValueAsString(result);
        ReasoningResult back = JSON.readValue(json, ReasoningResult.class);
        assertEquals(result, back);

        JsonNode tree = JSON.readTree(json);
        assertEquals("STAGE_BEAM", tree.get("mode").asText());
        assertEquals(4, tree.get("steps").size());
        JsonNode summary = tree.get("steps").get(0);
        assertEquals("SUMMARY", summary.get("stage").asText());
        assertTrue(summary.get("candidates").get(0).get("tokens").isArray());
        assertEquals("UNCLOSED", summary.get("candidates").get(1).get("format").asText());
        assertTrue(tree.toString().contains("\"decidedBy\":\"PRECHECK\""));
        for (String field : List.of("summary", "caption", "reasoning", "conclusion", "answerTokens", "judgeTokens",
                "candidateTokens", "wallMillis", "seed")) {
            assertTrue(tree.has(field), field);
        }
    }

    @Test
    void settingsRoundTripThroughJson() throws Exception {
        ReasoningSettings settings = settings(3).maxTokens(Stage.REASONING, 512).mode(ReasoningMode.BEST_OF_N).build();
        assertEquals(settings, JSON.readValue(JSON.writeValueAsString(settings), ReasoningSettings.class));
    }

    @Test
    void listenerStreamsCandidateTokensAndEachWinnerAsSoonAsDecided() {
        Map<String, StringBuilder> streamed = new HashMap<>();
        List<StageTrace> decided = new ArrayList<>();
        ReasoningListener listener = new ReasoningListener() {
            @Override
            public void onCandidateToken(String step, int candidate, String textDelta) {
                assertEquals(decided.size(), List.of("SUMMARY", "CAPTION", "REASONING", "CONCLUSION").indexOf(step),
                        "tokens of a step arrive before it is decided");
                streamed.computeIfAbsent(step + "/" + candidate, k -> new StringBuilder()).append(textDelta);
            }

            @Override
            public void onStepDecided(StageTrace trace) {
                decided.add(trace);
            }
        };
        ReasoningResult result = new StagedReasoner(settings(2).build())
                .reason(new ScriptedBackend().request(StageBeamSearchTest.QUESTION, 1), listener);

        assertEquals(result.steps(), decided);
        for (StageTrace trace : result.steps()) {
            for (Candidate candidate : trace.candidates()) {
                assertEquals(candidate.text(), streamed.get(trace.step() + "/" + candidate.index()).toString());
            }
        }
        assertEquals(8, streamed.size(), "judge calls are not streamed");
    }

    @Test
    void cancellationBetweenStepsStopsTheSearchAndClosesTheSession() {
        ScriptedBackend backend = new ScriptedBackend();
        List<StageTrace> decided = new ArrayList<>();
        ReasoningListener listener = new ReasoningListener() {
            @Override
            public void onStepDecided(StageTrace trace) {
                decided.add(trace);
            }

            @Override
            public boolean isCancelled() {
                return !decided.isEmpty();
            }
        };
        ReasoningCancelledException cancelled = assertThrows(ReasoningCancelledException.class,
                () -> new StagedReasoner(settings(2).build()).reason(backend.request("q", 1), listener));

        assertTrue(cancelled.getMessage().contains("CAPTION"), cancelled.getMessage());
        assertEquals(1, decided.size());
        assertEquals(0, backend.openSessions);
        assertEquals(2, backend.calls.size(), "SUMMARY's batch and judge only");
    }

    @Test
    void cancellationDuringATokenStreamAbortsTheCall() {
        ScriptedBackend backend = new ScriptedBackend();
        int[] tokens = {0};
        ReasoningListener listener = new ReasoningListener() {
            @Override
            public void onCandidateToken(String step, int candidate, String textDelta) {
                tokens[0]++;
            }

            @Override
            public boolean isCancelled() {
                return tokens[0] >= 3;
            }
        };
        assertThrows(ReasoningCancelledException.class,
                () -> new StagedReasoner(settings(2).build()).reason(backend.request("q", 1), listener));
        assertEquals(3, tokens[0]);
        assertEquals(0, backend.openSessions);
    }

    @Test
    void aGenerationReportedCancelledByTheBackendCancelsTheSearch() {
        ScriptedBackend backend = new ScriptedBackend();
        ReasoningRequest request = backend.request("q", 1);
        ReasoningRequest cancelling = sequential -> new ForwardingReasoningPort(request.open(sequential)) {
            @Override
            public List<Generation> sampleCandidates(Stage stage, int[] prefix, int n, Sampling sampling,
                                                     SequenceListener listener) {
                List<Generation> out = new ArrayList<>();
                for (Generation g : super.sampleCandidates(stage, prefix, n, sampling, listener)) {
                    out.add(new Generation(g.tokens(), g.text(), StopReason.CANCELLED));
                }
                return out;
            }
        };
        assertThrows(ReasoningCancelledException.class,
                () -> new StagedReasoner(settings(2).build()).reason(cancelling));
        assertEquals(0, backend.openSessions);
        List<Call> calls = backend.calls;
        assertEquals(1, calls.size());
    }
}
