package io.github.llavao1.reasoning;

import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.Prefix;
import io.github.llavao1.engine.Session;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.text.PromptEncoder;
import io.github.llavao1.engine.text.PromptMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The reasoning search on the engine. In the default (cached) mode a request's images are encoded once when the
 * session opens, every prompt read is kept as a {@link Prefix}, and a request whose prefix starts with a cached
 * one reads only the new tokens (the next stage continues from the winner's exact tokens that way); the n
 * candidates of a call are decoded as one batch forked from that prefix. The sequential mode reproduces the
 * reference implementation's cost: every candidate is its own call that re-encodes the images and re-reads the
 * whole prefix.
 */
public final class EngineReasoningBackend implements ReasoningBackend {

    private final LlavaEngine engine;

    public EngineReasoningBackend(LlavaEngine engine) {
        this.engine = engine;
    }

    @Override
    public ReasoningSession open(List<?> images, boolean sequential) {
        List<ProcessedImage> processed = new ArrayList<>(images.size());
        for (Object image : images) {
            if (!(image instanceof ProcessedImage p)) {
                throw new IllegalArgumentException("images must be " + ProcessedImage.class.getSimpleName()
                        + " (LlavaEngine.processImage), got " + (image == null ? "null" : image.getClass().getName()));
            }
            processed.add(p);
        }
        return sequential ? new SequentialSession(processed) : new CachedSession(processed);
    }

    private int[] render(String text, boolean withImages, int images, boolean doubleBos) {
        PromptMessage message = withImages && images > 0 ? PromptMessage.userWithImages(images, text) : PromptMessage.user(text);
        return new PromptEncoder(engine.tokenizer(), doubleBos).encode(engine.chatTemplate().renderPrompt(List.of(message), true));
    }

    /** What the engine's sessions sample with when a request sets no top-k. */
    public static int defaultTopK(LlavaEngine engine) {
        Integer topK = engine.generationConfig() == null ? null : engine.generationConfig().topK();
        return topK != null ? topK : ReasoningSession.TRANSFORMERS_DEFAULT_TOP_K;
    }

    /** The engine's decoding options for one request of the search. */
    public static GenerationOptions options(GenerationRequest request) {
        return GenerationOptions.builder().temperature(request.temperature()).topP(request.topP()).topK(request.topK())
                .maxNewTokens(request.maxNewTokens()).stopStrings(request.stopStrings())
                .stopSuffixes(request.stopSuffixes()).seed(request.seed()).build();
    }

    /** Engine results as the search's generations, in order. */
    public static List<Generation> toGenerations(List<GenerationResult> results) {
        List<Generation> out = new ArrayList<>(results.size());
        for (GenerationResult r : results) {
            out.add(new Generation(r.tokens(), r.text(), FinishReason.valueOf(r.finishReason().name())));
        }
        return out;
    }

    private static io.github.llavao1.engine.generate.TokenListener adapt(TokenListener listener, int sequenceOffset) {
        return listener == null ? null : (sequence, token, delta) -> listener.onToken(sequence + sequenceOffset, token, delta);
    }

    private abstract class BackendSession implements ReasoningSession {
        final List<ProcessedImage> images;

        BackendSession(List<ProcessedImage> images) {
            this.images = images;
        }

        @Override
        public int[] userPrompt(String text, boolean withImages, boolean doubleBos) {
            return render(text, withImages, images.size(), doubleBos);
        }

        @Override
        public int defaultTopK() {
            return EngineReasoningBackend.defaultTopK(engine);
        }

        @Override
        public String decode(int[] tokens) {
            return engine.tokenizer().decode(tokens, true);
        }
    }

    /** Images encoded once; prefixes cached and extended by the session; candidates batched. */
    private final class CachedSession extends BackendSession {
        private final Session session;

        CachedSession(List<ProcessedImage> images) {
            super(images);
            this.session = engine.newSession(images);
        }

        @Override
        public List<Generation> generate(GenerationRequest request, TokenListener listener) {
            Prefix prefix = session.cachedPrefix(request.prefix());
            return toGenerations(session.generate(prefix, options(request), request.n(), adapt(listener, 0)));
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** The reference's cost model: one full call (image encoding + whole prefix) per candidate. */
    private final class SequentialSession extends BackendSession {

        SequentialSession(List<ProcessedImage> images) {
            super(images);
        }

        @Override
        public List<Generation> generate(GenerationRequest request, TokenListener listener) {
            List<Generation> out = new ArrayList<>(request.n());
            GenerationOptions options = options(request);
            for (int i = 0; i < request.n(); i++) {
                try (Session session = engine.newSession(request.withImages() ? images : List.of())) {
                    GenerationOptions single = options.toBuilder().seed(options.seed() + 0x9E3779B97F4A7C15L * i).build();
                    out.addAll(toGenerations(session.generate(session.prefill(request.prefix()), single, 1, adapt(listener, i))));
                }
            }
            return out;
        }

        @Override
        public void close() {
            // every call closed its own session
        }
    }

}
