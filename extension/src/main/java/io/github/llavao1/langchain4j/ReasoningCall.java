package io.github.llavao1.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.llavao1.backend.EngineReasoning;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.image.RgbImage;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.reasoning.ReasoningCancelledException;
import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.ReasoningMode;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.StagedReasoner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat request end to end, shared by the blocking and the streaming model: validate, map, run the search, map
 * back. Everything a request allocates on the engine lives in its own session and is freed when the search ends,
 * so concurrent requests on one model never share state.
 */
final class ReasoningCall {

    private static final Logger LOG = LoggerFactory.getLogger(ReasoningCall.class);

    private final ModelConfig config;
    private final ImageLoader images;

    ReasoningCall(ModelConfig config) {
        this.config = config;
        this.images = new ImageLoader(config.imagePolicy());
    }

    ModelConfig config() {
        return config;
    }

    /** The request's parameters over the model's defaults (the defaults alone when the request has none). */
    ChatRequestParameters parameters(ChatRequest request) {
        ChatRequestParameters p = request.parameters();
        ChatRequestParameters merged = p == null ? config.defaults() : config.defaults().overrideWith(p);
        if (config.ignoreOfferedTools() && merged.toolSpecifications() != null
                && !merged.toolSpecifications().isEmpty() && merged.toolChoice() != ToolChoice.REQUIRED) {
            return LlavaO1ChatRequestParameters.builder().overrideWith(merged)
                    .toolSpecifications(List.of()).toolChoice(null).build();
        }
        return merged;
    }

    /**
     * Refuses what the request asks for and LLaVA-o1 cannot do, before any work: unsupported parameters, message
     * kinds and image URLs the policy refuses (images are decoded later, by {@link #run(Prepared, ReasoningListener)}).
     */
    Prepared prepare(ChatRequest request) {
        ChatRequestParameters p = parameters(request);
        RequestMapping.validate(p, config.defaults().modelName());
        RequestMapping.check(request.messages(), images);
        return new Prepared(request, p, RequestMapping.settings(config.reasoning(), p));
    }

    ChatResponse run(ChatRequest request, ReasoningListener listener) {
        return run(prepare(request), listener);
    }

    ChatResponse run(Prepared prepared, ReasoningListener listener) {
        ChatRequestParameters p = prepared.parameters();
        if (config.logRequests()) {
            LOG.info("LLaVA-o1 request: {} message(s), {}", prepared.request().messages().size(), p);
        }
        LlavaEngine engine = config.engine().get();
        Conversation conversation = RequestMapping.conversation(prepared.request().messages(), imagesFor(engine));
        Outcome outcome = reason(engine, conversation, p, answerStops(prepared.settings(), p),
                Cancellation.including(SearchProgress.including(listener)));
        ChatResponse response = ResponseMapping.response(outcome.result(), outcome.promptTokens(), p.stopSequences(),
                config.includeStagesInText(), config.defaults().modelName(), ResponseMapping.newId());
        if (config.logResponses()) {
            ReasoningResult result = outcome.result();
            LOG.info("LLaVA-o1 response: {} (seed {}, {} answer / {} candidate / {} judge tokens, {} ms)",
                    response.aiMessage().text(), result.seed(), result.answerTokens(), result.candidateTokens(),
                    result.judgeTokens(), result.wallMillis());
        }
        return response;
    }

    /** A request that passed {@link #prepare}: its merged parameters and the search's settings. */
    record Prepared(ChatRequest request, ChatRequestParameters parameters, ReasoningSettings settings) {
    }

    /**
     * One question about one image reference, with the model's default parameters: what the tool and the agent
     * run. The reference is held to the model's {@link ImagePolicy} like any chat image. The model's listeners see
     * it as a chat request (the question, the image left out) and its response, so the tool's work is counted and
     * traced like any chat call, under the caller's span.
     */
    ReasoningResult reasonAboutImage(String imageReference, String question) {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("question must not be blank");
        }
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(question))
                .parameters(config.defaults()).build();
        Map<Object, Object> attributes = new ConcurrentHashMap<>();
        notifyListeners(l -> l.onRequest(new ChatModelRequestContext(request, ModelProvider.OTHER, attributes)));
        try {
            LlavaEngine engine = config.engine().get();
            RgbImage image = imagesFor(engine).load(imageReference);
            Conversation conversation = new Conversation(List.of(PromptMessage.userWithImages(1, question)),
                    List.of(image), question);
            // the tool returns the structured result, which stop sequences do not cut: they do not end generation either
            Outcome outcome = reason(engine, conversation, config.defaults(), List.of(),
                    Cancellation.including(SearchProgress.including(ReasoningListener.NONE)));
            ChatResponse response = ResponseMapping.response(outcome.result(), outcome.promptTokens(), null,
                    config.includeStagesInText(), config.defaults().modelName(), ResponseMapping.newId());
            notifyListeners(l -> l.onResponse(
                    new ChatModelResponseContext(response, request, ModelProvider.OTHER, attributes)));
            return outcome.result();
        } catch (RuntimeException e) {
            notifyListeners(l -> l.onError(new ChatModelErrorContext(e, request, ModelProvider.OTHER, attributes)));
            throw e;
        }
    }

    /** As {@code ChatModel.chat} does: a failing listener is logged and does not fail the request. */
    private void notifyListeners(Consumer<ChatModelListener> event) {
        for (ChatModelListener listener : config.listeners()) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A ChatModelListener failed on a LLaVA-o1 tool call", e);
            }
        }
    }

    /** The loader decoding large images only as finely as the engine's tiles need. */
    private ImageLoader imagesFor(LlavaEngine engine) {
        return images.withSubsampling(engine.imageProcessor()::subsampling);
    }

    private Outcome reason(LlavaEngine engine, Conversation conversation, ChatRequestParameters p, List<String> stops,
                           ReasoningListener listener) {
        ReasoningSettings settings = RequestMapping.settings(config.reasoning(), p);
        // the search's prompt for the question is the whole conversation, so the stages continue the real dialogue
        EngineReasoning request = EngineReasoning.conversation(engine, conversation.messages(), conversation.question(),
                process(engine, conversation.images())).stoppingResponseAt(stops, config.includeStagesInText());
        // fail before the images are encoded: the prompt and the whole answer budget must fit the context
        engine.checkFits(request.promptTokens(), settings.answerBudget());
        // The clock starts once the engine is loaded: a lazy model's first load is not the request's time.
        Deadline deadline = config.timeout() == null ? null : new Deadline(config.timeout());
        try {
            ReasoningResult result = new StagedReasoner(settings).reason(request,
                    deadline == null ? listener : listener.cancelledAlsoWhen(deadline));
            return new Outcome(result, request.promptTokens());
        } catch (ReasoningCancelledException e) {
            if (deadline != null && deadline.expired()) {
                throw new TimeoutException("the LLaVA-o1 request took longer than its timeout of "
                        + config.timeout() + " and was cancelled (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    /** True once the request's time limit has passed; {@link #expired} says whether a poll saw it pass. */
    private static final class Deadline implements BooleanSupplier {
        private final long deadlineNanos;
        private volatile boolean expired;

        Deadline(Duration timeout) {
            this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        }

        /** Whether the search was cancelled by this deadline (not by the caller before it passed). */
        boolean expired() {
            return expired;
        }

        @Override
        public boolean getAsBoolean() {
            if (!expired && System.nanoTime() - deadlineNanos >= 0) {
                expired = true;
            }
            return expired;
        }
    }

    /**
     * The stop sequences that end generation, not only the returned text: in the calls that write the response
     * (see {@link EngineReasoning#stoppingResponseAt}). Sentence-level search writes its answer a sentence at a time and decides
     * its stage from the text, so there they only cut the text.
     */
    private List<String> answerStops(ReasoningSettings settings, ChatRequestParameters p) {
        if (settings.mode() == ReasoningMode.SENTENCE_BEAM || p.stopSequences() == null) {
            return List.of();
        }
        return p.stopSequences();
    }

    private record Outcome(ReasoningResult result, int promptTokens) {
    }

    ImageLoader images() {
        return images;
    }

    private static List<ProcessedImage> process(LlavaEngine engine, List<RgbImage> decoded) {
        List<ProcessedImage> processed = new ArrayList<>(decoded.size());
        for (RgbImage image : decoded) {
            processed.add(engine.imageProcessor().process(image));
        }
        return processed;
    }
}
