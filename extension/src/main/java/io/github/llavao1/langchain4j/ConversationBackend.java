package io.github.llavao1.langchain4j;

import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.Prefix;
import io.github.llavao1.engine.Session;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.text.PromptEncoder;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.reasoning.FinishReason;
import io.github.llavao1.reasoning.Generation;
import io.github.llavao1.reasoning.GenerationRequest;
import io.github.llavao1.reasoning.ReasoningBackend;
import io.github.llavao1.reasoning.ReasoningSession;
import io.github.llavao1.reasoning.TokenListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The reasoning backend of one chat request. It differs from {@code EngineReasoningBackend} in two ways that a
 * chat needs:
 * <ul>
 *   <li>Multi-turn history: the search's prompt for the question is the whole conversation rendered with the chat
 *       template (earlier user and assistant turns, their images where they were sent), so the stages continue the
 *       real dialogue. Judge and pre-check prompts stay single fresh user turns, as in the reference; they quote
 *       the last question only.</li>
 *   <li>Top-k: candidate calls (those continuing the conversation prompt) sample with the request's top-k, which the
 *       search's own request type does not carry; judge calls keep the judge's settings.</li>
 * </ul>
 * Caching follows the engine backend: images encoded once per request, every prompt read kept as a prefix, and a
 * prefix that starts with a cached one reads only the new tokens. One instance serves one request.
 */
final class ConversationBackend implements ReasoningBackend {

    private static final int KEPT_PREFIXES = 8;

    private final LlavaEngine engine;
    private final Conversation conversation;
    private final int topK;
    private volatile int promptTokens;

    ConversationBackend(LlavaEngine engine, Conversation conversation, int topK) {
        this.engine = engine;
        this.conversation = conversation;
        this.topK = topK;
    }

    /** Tokens of the rendered conversation prompt, once the search has asked for it. */
    int promptTokens() {
        return promptTokens;
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
        private final Deque<Prefix> cached = new ArrayDeque<>();
        private int[] conversationPrompt = new int[0];

        ChatSession(List<ProcessedImage> images) {
            this.session = engine.newSession(images);
            this.imageCount = images.size();
        }

        @Override
        public int[] userPrompt(String text, boolean withImages, boolean doubleBos) {
            PromptEncoder encoder = new PromptEncoder(engine.tokenizer(), doubleBos);
            if (text.equals(conversation.question()) && withImages == imageCount > 0) {
                conversationPrompt = encoder.encode(engine.chatTemplate().render(conversation.messages(), true));
                promptTokens = conversationPrompt.length;
                return conversationPrompt;
            }
            PromptMessage message = withImages && imageCount > 0
                    ? PromptMessage.userWithImages(imageCount, text) : PromptMessage.user(text);
            return encoder.encode(engine.chatTemplate().render(List.of(message), true));
        }

        @Override
        public List<Generation> generate(GenerationRequest request, TokenListener listener) {
            boolean candidateCall = conversationPrompt.length > 0 && startsWith(request.prefix(), conversationPrompt);
            GenerationOptions options = GenerationOptions.builder().temperature(request.temperature())
                    .topP(request.topP()).topK(candidateCall ? topK : 0).maxNewTokens(request.maxNewTokens())
                    .stopStrings(request.stopStrings()).seed(request.seed()).build();
            List<GenerationResult> results = session.generate(prefixFor(request.prefix()), options, request.n(),
                    listener == null ? null : listener::onToken);
            List<Generation> out = new ArrayList<>(results.size());
            for (GenerationResult r : results) {
                out.add(new Generation(r.tokens(), r.text(), FinishReason.valueOf(r.finishReason().name())));
            }
            return out;
        }

        /** The longest cached prefix that starts {@code ids}, extended by the rest; or {@code ids} read afresh. */
        private Prefix prefixFor(int[] ids) {
            Prefix best = null;
            for (Prefix p : cached) {
                if (p.length() <= ids.length && (best == null || p.length() > best.length())
                        && startsWith(ids, p.tokens())) {
                    best = p;
                }
            }
            if (best != null && best.length() == ids.length) {
                return best;
            }
            Prefix result = best != null && !hasImageToken(ids, best.length())
                    ? session.extend(best, Arrays.copyOfRange(ids, best.length(), ids.length))
                    : session.prefill(ids);
            cached.addLast(result);
            if (cached.size() > KEPT_PREFIXES) {
                cached.removeFirst().close();
            }
            return result;
        }

        private boolean hasImageToken(int[] ids, int from) {
            for (int i = from; i < ids.length; i++) {
                if (ids[i] == engine.imageTokenId()) {
                    return true;
                }
            }
            return false;
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

    private static boolean startsWith(int[] ids, int[] head) {
        return ids.length >= head.length && Arrays.equals(ids, 0, head.length, head, 0, head.length);
    }
}
