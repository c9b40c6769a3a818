package io.github.llavao1.reasoning;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A fake {@link ReasoningBackend} for tests: canned outputs instead of a model, and a record of every call.
 *
 * <p>One character is one token. Token ids are {@code codePoint * 4 + sequenceIndex % 4}, so the same text has
 * different ids in different sequences of a batch: a prefix built from the winner's exact tokens can be told
 * apart from one built by re-encoding its text. Prompts are {@code BOS [BOS] [IMAGE…] "user: " text
 * "\nassistant: "}. A scripted output is the text a sequence would write before EOS; the fake cuts it at the first
 * stop string (STOP_STRING), at {@code maxNewTokens} (LENGTH), or else ends it with an EOS token.
 *
 * <p>Outputs come from queues in call order (one queue of candidate batches, one of judge outputs, one of
 * pre-check outputs); an empty queue falls back to output derived from the call's seed, so a search over the
 * fake is deterministic exactly when its seeds are.
 */
final class ScriptedBackend implements ReasoningBackend {

    static final int BOS = 128000;
    static final int EOS = 128009;
    static final int IMAGE = 128256;

    enum Kind { CANDIDATES, JUDGE, PRECHECK }

    /** One {@code generate} call: what was asked, the prompt text the fake saw, what it answered. */
    record Call(Kind kind, GenerationRequest request, String prefixText, List<Generation> outputs) {
    }

    /** One {@code userPrompt} call. */
    record PromptCall(String text, boolean withImages, boolean doubleBos, int[] ids) {
    }

    final List<Call> calls = new ArrayList<>();
    final List<PromptCall> prompts = new ArrayList<>();
    final List<Boolean> openedSequential = new ArrayList<>();
    int openSessions;
    int imagesPerSession;

    private final Deque<List<String>> batches = new ArrayDeque<>();
    private final Deque<String> judges = new ArrayDeque<>();
    private final Deque<String> prechecks = new ArrayDeque<>();
    private Function<GenerationRequest, List<String>> defaultCandidates = ScriptedBackend::seededStageCandidates;
    private int defaultTopK = ReasoningSession.TRANSFORMERS_DEFAULT_TOP_K;

    /** Queues one batch of candidate outputs (one per sequence). */
    ScriptedBackend batch(String... outputs) {
        batches.add(List.of(outputs));
        return this;
    }

    ScriptedBackend judges(String... outputs) {
        judges.addAll(List.of(outputs));
        return this;
    }

    ScriptedBackend prechecks(String... outputs) {
        prechecks.addAll(List.of(outputs));
        return this;
    }

    /** The top-k the sessions report as the model's default (a checkpoint's generation_config top_k). */
    ScriptedBackend defaultTopK(int topK) {
        this.defaultTopK = topK;
        return this;
    }

    /** What candidate calls answer once the batch queue is empty. */
    ScriptedBackend defaultCandidates(Function<GenerationRequest, List<String>> candidates) {
        this.defaultCandidates = candidates;
        return this;
    }

    List<Call> calls(Kind kind) {
        return calls.stream().filter(call -> call.kind() == kind).toList();
    }

    /** A well-formed section of the stage the request stops at, marked with the seed and sequence index. */
    static List<String> seededStageCandidates(GenerationRequest request) {
        String tag = request.stopStrings().get(0).substring(2, request.stopStrings().get(0).length() - 1);
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < request.n(); i++) {
            outputs.add("<" + tag + ">" + tag.toLowerCase() + " " + Long.toHexString(request.seed() >>> 40) + "-" + i
                    + "</" + tag + ">");
        }
        return outputs;
    }

    static String seededJudge(long seed) {
        return "Since it is better, I choose response " + (1 + Math.floorMod(seed, 2)) + ".";
    }

    static int tokenId(char c, int sequence) {
        return c * 4 + sequence % 4;
    }

    @Override
    public ReasoningSession open(List<?> images, boolean sequential) {
        openSessions++;
        openedSequential.add(sequential);
        imagesPerSession = images.size();
        return new Session();
    }

    private final class Session implements ReasoningSession {
        private boolean closed;

        @Override
        public int defaultTopK() {
            return defaultTopK;
        }

        @Override
        public int[] userPrompt(String text, boolean withImages, boolean doubleBos) {
            requireOpen();
            List<Integer> ids = new ArrayList<>(List.of(BOS));
            if (doubleBos) {
                ids.add(BOS);
            }
            for (int i = 0; withImages && i < imagesPerSession; i++) {
                ids.add(IMAGE);
            }
            for (char c : ("user: " + text + "\nassistant: ").toCharArray()) {
                ids.add(tokenId(c, 0));
            }
            int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
            prompts.add(new PromptCall(text, withImages, doubleBos, array));
            return array;
        }

        @Override
        public List<Generation> generate(GenerationRequest request, TokenListener listener) {
            requireOpen();
            String prefixText = decode(request.prefix());
            Kind kind = prefixText.contains("\n\nReasoning Process: ") ? Kind.PRECHECK
                    : prefixText.startsWith("user: Now you act as a judge") ? Kind.JUDGE : Kind.CANDIDATES;
            List<String> scripted = switch (kind) {
                case CANDIDATES -> batches.isEmpty() ? defaultCandidates.apply(request) : batches.poll();
                case JUDGE -> List.of(judges.isEmpty() ? seededJudge(request.seed()) : judges.poll());
                case PRECHECK -> List.of(prechecks.isEmpty() ? "correct" : prechecks.poll());
            };
            if (scripted.size() != request.n()) {
                throw new AssertionError("script has " + scripted.size() + " outputs for n=" + request.n());
            }
            List<Generation> outputs = new ArrayList<>();
            for (int i = 0; i < scripted.size(); i++) {
                outputs.add(sample(scripted.get(i), i, request, listener));
            }
            calls.add(new Call(kind, request, prefixText, outputs));
            return outputs;
        }

        private Generation sample(String script, int sequence, GenerationRequest request, TokenListener listener) {
            StringBuilder text = new StringBuilder();
            List<Integer> tokens = new ArrayList<>();
            for (char c : script.toCharArray()) {
                if (tokens.size() == request.maxNewTokens()) {
                    return generation(tokens, text, FinishReason.LENGTH);
                }
                text.append(c);
                tokens.add(tokenId(c, sequence));
                if (listener != null) {
                    listener.onToken(sequence, tokens.get(tokens.size() - 1), String.valueOf(c));
                }
                for (String stop : request.stopStrings()) {
                    if (text.indexOf(stop) >= 0) {
                        return generation(tokens, text, FinishReason.STOP_STRING);
                    }
                }
                for (String suffix : request.stopSuffixes()) {
                    if (text.toString().endsWith(suffix)) {
                        return generation(tokens, text, FinishReason.STOP_STRING);
                    }
                }
            }
            if (tokens.size() == request.maxNewTokens()) {
                return generation(tokens, text, FinishReason.LENGTH);
            }
            tokens.add(EOS);
            if (listener != null) {
                listener.onToken(sequence, EOS, "");
            }
            return generation(tokens, text, FinishReason.EOS);
        }

        private Generation generation(List<Integer> tokens, StringBuilder text, FinishReason reason) {
            return new Generation(tokens.stream().mapToInt(Integer::intValue).toArray(), text.toString(), reason);
        }

        @Override
        public String decode(int[] tokens) {
            StringBuilder text = new StringBuilder();
            for (int id : tokens) {
                if (id != BOS && id != EOS && id != IMAGE) {
                    text.append((char) (id / 4));
                }
            }
            return text.toString();
        }

        @Override
        public void close() {
            closed = true;
            openSessions--;
        }

        private void requireOpen() {
            if (closed) {
                throw new IllegalStateException("session used after close");
            }
        }
    }

    /** The ids the fake gives {@code text} in sequence {@code sequence}. */
    static int[] ids(String text, int sequence) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenId(text.charAt(i), sequence);
        }
        return ids;
    }

    static int[] concat(int[]... parts) {
        int[] all = new int[0];
        for (int[] part : parts) {
            int[] grown = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, grown, all.length, part.length);
            all = grown;
        }
        return all;
    }
}
