package io.github.llavao1.reasoning;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A fake model for tests: {@link #request} gives requests whose ports answer with canned outputs instead of a
 * model, and a record of every call.
 *
 * <p>One character is one token. Token ids are {@code codePoint * 4 + sequenceIndex % 4}, so the same text has
 * different ids in different sequences of a batch: a prefix built from the winner's exact tokens can be told
 * apart from one built by re-encoding its text. Prompts are {@code BOS BOS [IMAGE…] "user: " text
 * "\nassistant: "}, the image tokens only where the prompt shows the request's images and it has some. A scripted output is the text a sequence would write before EOS; the fake cuts it at the first
 * stop string (STOP_STRING), at {@code maxNewTokens} (LENGTH), or else ends it with an EOS token.
 *
 * <p>Outputs come from queues in call order (one queue of candidate batches, one of judge outputs, one of
 * pre-check outputs); an empty queue falls back to output derived from the call's seed, so a search over the
 * fake is deterministic exactly when its seeds are.
 */
final class ScriptedBackend {

    static final int BOS = 128000;
    static final int EOS = 128009;
    static final int IMAGE = 128256;

    enum Kind { CANDIDATES, JUDGE, PRECHECK }

    /** One sampling call: what was asked, the prompt text the fake saw, what it answered. */
    record Call(Kind kind, Request request, String prefixText, List<Generation> outputs) {
    }

    /** What a sampling call asked for: its prefix, whether it attends the images, n, and how it samples. */
    record Request(int[] prefix, boolean withImages, int n, Sampling sampling) {
        double temperature() {
            return sampling.temperature();
        }

        double topP() {
            return sampling.topP();
        }

        int topK() {
            return sampling.topK();
        }

        int maxNewTokens() {
            return sampling.maxNewTokens();
        }

        List<String> stopStrings() {
            return sampling.stopStrings();
        }

        List<String> stopSuffixes() {
            return sampling.stopSuffixes();
        }

        long seed() {
            return sampling.seed();
        }
    }

    /** One rendered prompt: the question's, or a judge's or check's. */
    record PromptCall(String text, boolean withImages, int[] ids) {
    }

    final List<Call> calls = new ArrayList<>();
    final List<PromptCall> prompts = new ArrayList<>();
    final List<Boolean> openedSequential = new ArrayList<>();
    int openSessions;
    int imagesPerSession;

    private final Deque<List<String>> batches = new ArrayDeque<>();
    private final Deque<String> judges = new ArrayDeque<>();
    private final Deque<String> prechecks = new ArrayDeque<>();
    private Function<Request, List<String>> defaultCandidates = ScriptedBackend::seededStageCandidates;
    private int defaultTopK = ReasoningPort.TRANSFORMERS_DEFAULT_TOP_K;

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
    ScriptedBackend defaultCandidates(Function<Request, List<String>> candidates) {
        this.defaultCandidates = candidates;
        return this;
    }

    List<Call> calls(Kind kind) {
        return calls.stream().filter(call -> call.kind() == kind).toList();
    }

    /** A well-formed section of the stage the request stops at, marked with the seed and sequence index. */
    static List<String> seededStageCandidates(Request request) {
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

    /** {@code question} about {@code images} images, opened as a port of this fake. */
    ReasoningRequest request(String question, int images) {
        return sequential -> {
            openSessions++;
            openedSequential.add(sequential);
            imagesPerSession = images;
            return new Port(question);
        };
    }

    private final class Port implements ReasoningPort {
        private final String question;
        private boolean closed;

        Port(String question) {
            this.question = question;
        }

        @Override
        public int[] questionPrompt() {
            return prompt(question, true);
        }

        private int[] prompt(String text, boolean withImages) {
            requireOpen();
            boolean shown = withImages && imagesPerSession > 0;
            List<Integer> ids = new ArrayList<>(List.of(BOS, BOS));
            for (int i = 0; shown && i < imagesPerSession; i++) {
                ids.add(IMAGE);
            }
            for (char c : ("user: " + text + "\nassistant: ").toCharArray()) {
                ids.add(tokenId(c, 0));
            }
            int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
            prompts.add(new PromptCall(text, shown, array));
            return array;
        }

        @Override
        public List<Generation> sampleCandidates(Stage stage, int[] prefix, int n, Sampling sampling,
                                                 SequenceListener listener) {
            return sample(Kind.CANDIDATES, new Request(prefix, imagesPerSession > 0, n, sampling), listener);
        }

        @Override
        public Generation sampleJudge(String text, boolean withImages, Sampling sampling, SequenceListener listener) {
            Kind kind = text.contains("\n\nReasoning Process: ") ? Kind.PRECHECK : Kind.JUDGE;
            int[] prompt = prompt(text, withImages);
            return sample(kind, new Request(prompt, withImages && imagesPerSession > 0, 1, sampling), listener).get(0);
        }

        private List<Generation> sample(Kind kind, Request request, SequenceListener listener) {
            requireOpen();
            String prefixText = decode(request.prefix());
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

        private Generation sample(String script, int sequence, Request request, SequenceListener listener) {
            StringBuilder text = new StringBuilder();
            List<Integer> tokens = new ArrayList<>();
            for (char c : script.toCharArray()) {
                if (tokens.size() == request.maxNewTokens()) {
                    return generation(tokens, text, StopReason.LENGTH);
                }
                text.append(c);
                tokens.add(tokenId(c, sequence));
                if (listener != null) {
                    listener.onToken(sequence, tokens.get(tokens.size() - 1), String.valueOf(c));
                }
                for (String stop : request.stopStrings()) {
                    if (text.indexOf(stop) >= 0) {
                        return generation(tokens, text, StopReason.STOP_STRING);
                    }
                }
                for (String suffix : request.stopSuffixes()) {
                    if (text.toString().endsWith(suffix)) {
                        return generation(tokens, text, StopReason.STOP_STRING);
                    }
                }
            }
            if (tokens.size() == request.maxNewTokens()) {
                return generation(tokens, text, StopReason.LENGTH);
            }
            tokens.add(EOS);
            if (listener != null) {
                listener.onToken(sequence, EOS, "");
            }
            return generation(tokens, text, StopReason.EOS);
        }

        private Generation generation(List<Integer> tokens, StringBuilder text, StopReason reason) {
            return new Generation(tokens.stream().mapToInt(Integer::intValue).toArray(), text.toString(), reason);
        }

        @Override
        public String question() {
            return question;
        }

        @Override
        public int defaultTopK() {
            return defaultTopK;
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
