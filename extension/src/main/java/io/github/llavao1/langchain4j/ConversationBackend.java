package io.github.llavao1.langchain4j;

import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.Session;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.text.PromptEncoder;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.reasoning.EngineReasoningBackend;
import io.github.llavao1.reasoning.Generation;
import io.github.llavao1.reasoning.GenerationRequest;
import io.github.llavao1.reasoning.ReasoningBackend;
import io.github.llavao1.reasoning.ReasoningSession;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.reasoning.TokenListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reasoning backend of one chat request. It differs from {@code EngineReasoningBackend} in two ways that a
 * chat needs:
 * <ul>
 *   <li>Multi-turn history: the search's prompt for the question is the whole conversation rendered with the chat
 *       template (earlier user and assistant turns, their images where they were sent), so the stages continue the
 *       real dialogue. Judge and pre-check prompts stay single fresh user turns, as in the reference; they quote
 *       the last question only.</li>
 *   <li>Stop sequences: candidate calls that write the response also stop at the request's stop sequences, so
 *       generation ends where the returned text does. Those are the calls that may write the conclusion: the
 *       CONCLUSION step (its stop string is {@code </CONCLUSION>}) and whole-answer calls (no stop string, or
 *       {@code </CONCLUSION>}); with {@code includeStagesInText} every candidate call, the whole answer being
 *       the response.</li>
 * </ul>
 * Caching is the session's ({@link Session#cachedPrefix}): images encoded once per request, and a prompt that starts
 * with one read before reads only the new tokens. One instance serves one request.
 */
final class ConversationBackend implements ReasoningBackend {

    private final LlavaEngine engine;
    private final Conversation conversation;
    private final List<String> responseStops;
    private final boolean wholeAnswerIsResponse;
    private volatile int promptTokens;

    ConversationBackend(LlavaEngine engine, Conversation conversation, List<String> responseStops,
                        boolean wholeAnswerIsResponse) {
        this.engine = engine;
        this.conversation = conversation;
        this.responseStops = List.copyOf(responseStops);
        this.wholeAnswerIsResponse = wholeAnswerIsResponse;
    }

    /** Tokens of the rendered conversation prompt, once the search has asked for it. */
    int promptTokens() {
        return promptTokens;
    }

    /** The rendered conversation's ids: the search's prompt for the question. Encodes only, computes nothing. */
    int[] encodeConversation(boolean doubleBos) {
        return new PromptEncoder(engine.tokenizer(), doubleBos)
                .encode(engine.chatTemplate().renderPrompt(conversation.messages(), true));
    }

    @Override
    public ReasoningSession open(List<?> images, boolean sequential) {
        List<ProcessedImage> processed = new ArrayList<>(images.size());
        for (Object image : images) {
            processed.add((ProcessedImage) image);
        }
        return new ChatSession(processed);
    }

    private final class ChatSession implements ReasoningSession {
        private final Session session;
        private final int imageCount;
        private int[] conversationPrompt = new int[0];

        ChatSession(List<ProcessedImage> images) {
            this.session = engine.newSession(images);
            this.imageCount = images.size();
        }

        @Override
        public int[] userPrompt(String text, boolean withImages, boolean doubleBos) {
            if (text.equals(conversation.question()) && withImages == imageCount > 0) {
                conversationPrompt = encodeConversation(doubleBos);
                promptTokens = conversationPrompt.length;
                return conversationPrompt;
            }
            PromptEncoder encoder = new PromptEncoder(engine.tokenizer(), doubleBos);
            PromptMessage message = withImages && imageCount > 0
                    ? PromptMessage.userWithImages(imageCount, text) : PromptMessage.user(text);
            return encoder.encode(engine.chatTemplate().renderPrompt(List.of(message), true));
        }

        @Override
        public List<Generation> generate(GenerationRequest request, TokenListener listener) {
            GenerationOptions options = EngineReasoningBackend.options(request);
            if (conversationPrompt.length > 0 && startsWith(request.prefix(), conversationPrompt)) {
                // a candidate call: it may write the response, so it also stops at the request's stop sequences
                options = options.toBuilder().stopStrings(candidateStops(request)).build();
            }
            return EngineReasoningBackend.toGenerations(session.generate(session.cachedPrefix(request.prefix()), options,
                    request.n(), listener == null ? null : listener::onToken));
        }

        @Override
        public int defaultTopK() {
            return EngineReasoningBackend.defaultTopK(engine);
        }

        @Override
        public String decode(int[] tokens) {
            return engine.tokenizer().decode(tokens, true);
        }

        @Override
        public void close() {
            // closing the session frees its prefixes' caches and the images' cross-attention states
            session.close();
        }
    }

    private List<String> candidateStops(GenerationRequest request) {
        List<String> stops = request.stopStrings();
        boolean writesResponse = wholeAnswerIsResponse || stops.isEmpty()
                || stops.contains(Stage.CONCLUSION.closeTag());
        if (!writesResponse || responseStops.isEmpty()) {
            return stops;
        }
        List<String> all = new ArrayList<>(stops);
        all.addAll(responseStops);
        return all;
    }

    private static boolean startsWith(int[] ids, int[] head) {
        return ids.length >= head.length && Arrays.equals(ids, 0, head.length, head, 0, head.length);
    }
}
