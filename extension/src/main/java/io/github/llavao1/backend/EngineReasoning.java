package io.github.llavao1.backend;

import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.Prefix;
import io.github.llavao1.engine.Session;
import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.generate.TokenListener;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.reasoning.Generation;
import io.github.llavao1.reasoning.ReasoningPort;
import io.github.llavao1.reasoning.ReasoningRequest;
import io.github.llavao1.reasoning.Sampling;
import io.github.llavao1.reasoning.SequenceListener;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One request of the reasoning search on the engine: where its prompt comes from (one question, or a whole
 * conversation whose last user turn is the question: the search then continues the real dialogue), its images, and
 * the stops its answer must also end at. Every prompt is rendered by {@link LlavaEngine#encodePrompt}, so the
 * engine's options decide the doubled BOS once for all of them. Judge and pre-check prompts are single fresh user
 * turns, as in the reference; they quote the question only.
 *
 * <p>In the default (cached) mode the port encodes the images once when it opens, every prompt read is kept as a
 * {@link Prefix} by the session ({@link Session#cachedPrefix}), a call whose prefix starts with a cached one reads
 * only the new tokens (the next stage continues from the winner's exact tokens that way), and the n candidates of a
 * call are decoded as one batch forked from that prefix. The sequential mode reproduces the reference
 * implementation's cost: every candidate is its own call that re-encodes the images and re-reads the whole prefix.
 */
public final class EngineReasoning implements ReasoningRequest {

    /** Spreads the seeds of the sequential mode's one-at-a-time candidates (the 64-bit golden ratio). */
    private static final long SEQUENCE_SEED_STEP = 0x9E3779B97F4A7C15L;

    private final LlavaEngine engine;
    private final String question;
    private final List<ProcessedImage> images;
    private final int[] questionPrompt;
    private final ResponseStops responseStops;

    private EngineReasoning(LlavaEngine engine, String question, List<ProcessedImage> images, int[] questionPrompt,
                            ResponseStops responseStops) {
        this.engine = engine;
        this.question = Objects.requireNonNull(question, "question must not be null");
        this.images = List.copyOf(images);
        this.questionPrompt = questionPrompt;
        this.responseStops = responseStops;
    }

    /**
     * The stops the response ends at, which the candidate calls that may write it also stop at.
     *
     * @param wholeAnswerIsResponse the stages are part of the response, so every candidate call may write it
     */
    private record ResponseStops(List<String> stops, boolean wholeAnswerIsResponse) {
        static final ResponseStops NONE = new ResponseStops(List.of(), false);
    }

    /** {@code question} about {@code images} (may be empty: then every prompt is text-only). */
    public static EngineReasoning question(LlavaEngine engine, String question, List<ProcessedImage> images) {
        Objects.requireNonNull(question, "question must not be null");
        Objects.requireNonNull(images, "images must not be null (use an empty list for a text-only question)");
        return conversation(engine, List.of(userTurn(question, images.size())), question, images);
    }

    /**
     * A conversation to continue: {@code messages} in template form, the last one the user turn that asks
     * {@code question}; their image parts index {@code images} in prompt order.
     */
    public static EngineReasoning conversation(LlavaEngine engine, List<PromptMessage> messages, String question,
                                               List<ProcessedImage> images) {
        Objects.requireNonNull(engine, "engine must not be null");
        return new EngineReasoning(engine, question, images, engine.encodePrompt(messages), ResponseStops.NONE);
    }

    /**
     * This request, its candidate calls that may write the response also stopping at {@code stops}, so that
     * generation ends where the returned text does. Those are the calls that may write the conclusion: the
     * CONCLUSION stage's and those writing a whole answer or a sentence of it; with {@code wholeAnswerIsResponse}
     * (the stages are part of the response) every candidate call.
     */
    public EngineReasoning stoppingResponseAt(List<String> stops, boolean wholeAnswerIsResponse) {
        return new EngineReasoning(engine, question, images, questionPrompt,
                new ResponseStops(List.copyOf(stops), wholeAnswerIsResponse));
    }

    /** Tokens of the rendered question prompt (for a conversation, the whole of it). */
    public int promptTokens() {
        return questionPrompt.length;
    }

    @Override
    public ReasoningPort open(boolean sequential) {
        return new Port(sequential ? null : engine.newSession(images));
    }

    /** The stop strings of a candidate call writing {@code stage} (null: a whole answer or a sentence). */
    List<String> candidateStops(Stage stage, List<String> stepStops) {
        boolean writesResponse = responseStops.wholeAnswerIsResponse() || stage == null || stage == Stage.CONCLUSION;
        if (!writesResponse || responseStops.stops().isEmpty()) {
            return stepStops;
        }
        List<String> all = new ArrayList<>(stepStops);
        all.addAll(responseStops.stops());
        return all;
    }

    private static PromptMessage userTurn(String text, int images) {
        return images > 0 ? PromptMessage.userWithImages(images, text) : PromptMessage.user(text);
    }

    /** What the engine's sessions sample with when the settings set no top-k. */
    static int defaultTopK(LlavaEngine engine) {
        Integer topK = engine.generationConfig() == null ? null : engine.generationConfig().topK();
        return topK != null ? topK : ReasoningPort.TRANSFORMERS_DEFAULT_TOP_K;
    }

    /** The engine's decoding options for one call of the search, stopping at {@code stopStrings}. */
    static GenerationOptions options(Sampling sampling, List<String> stopStrings) {
        return GenerationOptions.builder().temperature(sampling.temperature()).topP(sampling.topP())
                .topK(sampling.topK()).maxNewTokens(sampling.maxNewTokens()).stopStrings(stopStrings)
                .stopSuffixes(sampling.stopSuffixes()).seed(sampling.seed()).build();
    }

    /** Engine results as the search's generations, in order. */
    static List<Generation> generations(List<GenerationResult> results) {
        List<Generation> out = new ArrayList<>(results.size());
        for (GenerationResult r : results) {
            out.add(new Generation(r.tokens(), r.text(), stopReason(r.finishReason())));
        }
        return out;
    }

    static StopReason stopReason(FinishReason reason) {
        return switch (reason) {
            case EOS -> StopReason.EOS;
            case STOP_STRING -> StopReason.STOP_STRING;
            case LENGTH -> StopReason.LENGTH;
            case CANCELLED -> StopReason.CANCELLED;
        };
    }

    private static TokenListener engineListener(SequenceListener listener, int sequenceOffset) {
        return listener == null ? null
                : (sequence, token, delta) -> listener.onToken(sequence + sequenceOffset, token, delta);
    }

    /** The request's port: one session for the whole search, or none in the sequential mode. */
    private final class Port implements ReasoningPort {
        private final Session session;

        Port(Session sessionOrNullWhenSequential) {
            this.session = sessionOrNullWhenSequential;
        }

        @Override
        public List<Generation> sampleCandidates(Stage stage, int[] prefix, int n, Sampling sampling,
                                                 SequenceListener listener) {
            if (prefix.length == 0) {
                throw new IllegalArgumentException("prefix must hold at least one token");
            }
            if (n < 1) {
                throw new IllegalArgumentException("n must be at least 1, was " + n);
            }
            GenerationOptions options = options(sampling, candidateStops(stage, sampling.stopStrings()));
            return sample(prefix, n, !images.isEmpty(), options, listener);
        }

        @Override
        public Generation sampleJudge(String text, boolean withImages, Sampling sampling, SequenceListener listener) {
            int shown = withImages ? images.size() : 0;
            int[] prompt = engine.encodePrompt(List.of(userTurn(text, shown)));
            return sample(prompt, 1, shown > 0, options(sampling, sampling.stopStrings()), listener).get(0);
        }

        private List<Generation> sample(int[] prefix, int n, boolean attendsImages, GenerationOptions options,
                                        SequenceListener listener) {
            if (session != null) {
                Prefix cached = session.cachedPrefix(prefix);
                return generations(session.generate(cached, options, n, engineListener(listener, 0)));
            }
            List<Generation> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                try (Session single = engine.newSession(attendsImages ? images : List.of())) {
                    GenerationOptions one = options.toBuilder().seed(options.seed() + SEQUENCE_SEED_STEP * i).build();
                    Prefix read = single.prefill(prefix);
                    out.addAll(generations(single.generate(read, one, 1, engineListener(listener, i))));
                }
            }
            return out;
        }

        @Override
        public int[] questionPrompt() {
            return questionPrompt.clone();
        }

        @Override
        public int defaultTopK() {
            return EngineReasoning.defaultTopK(engine);
        }

        @Override
        public String question() {
            return question;
        }

        @Override
        public String decode(int[] tokens) {
            return engine.tokenizer().decode(tokens, true);
        }

        @Override
        public void close() {
            // closing the session frees its prefixes' caches and the images' cross-attention states; in the
            // sequential mode every call closed its own
            if (session != null) {
                session.close();
            }
        }
    }
}
