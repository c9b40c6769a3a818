package io.github.llavao1.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.image.RgbImage;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.reasoning.ReasoningListener;
import io.github.llavao1.reasoning.ReasoningResult;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.StagedReasoner;
import java.util.ArrayList;
import java.util.List;
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
        return p == null ? config.defaults() : config.defaults().overrideWith(p);
    }

    /** The settings the search of {@code request} runs with. */
    ReasoningSettings settings(ChatRequest request) {
        ChatRequestParameters p = parameters(request);
        RequestMapping.validate(p);
        return RequestMapping.settings(config.reasoning(), p);
    }

    ChatResponse run(ChatRequest request, ReasoningListener listener) {
        ChatRequestParameters p = parameters(request);
        RequestMapping.validate(p);
        if (config.logRequests()) {
            LOG.info("LLaVA-o1 request: {} message(s), {}", request.messages().size(), p);
        }
        LlavaEngine engine = config.engine().get();
        Conversation conversation = RequestMapping.conversation(request.messages(), imagesFor(engine));
        Outcome outcome = reason(engine, conversation, p, Cancellation.including(listener));
        ChatResponse response = ResponseMapping.response(outcome.result(), outcome.promptTokens(), p.stopSequences(),
                config.includeStagesInText(), config.engine().modelName());
        if (config.logResponses()) {
            ReasoningResult result = outcome.result();
            LOG.info("LLaVA-o1 response: {} (seed {}, {} answer / {} candidate / {} judge tokens, {} ms)",
                    response.aiMessage().text(), result.seed(), result.answerTokens(), result.candidateTokens(),
                    result.judgeTokens(), result.wallMillis());
        }
        return response;
    }

    /**
     * One question about one image reference, with the model's default parameters: what the tool and the agent
     * run. The reference is held to the model's {@link ImagePolicy} like any chat image.
     */
    ReasoningResult reasonAboutImage(String imageReference, String question) {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("question must not be blank");
        }
        LlavaEngine engine = config.engine().get();
        RgbImage image = imagesFor(engine).load(imageReference);
        Conversation conversation = new Conversation(List.of(PromptMessage.userWithImages(1, question)),
                List.of(image), question);
        return reason(engine, conversation, config.defaults(), Cancellation.including(ReasoningListener.NONE)).result();
    }

    /** The loader decoding large images only as finely as the engine's tiles need. */
    private ImageLoader imagesFor(LlavaEngine engine) {
        return images.withSubsampling(engine.imageProcessor()::subsampling);
    }

    private Outcome reason(LlavaEngine engine, Conversation conversation, ChatRequestParameters p,
                           ReasoningListener listener) {
        ReasoningSettings settings = RequestMapping.settings(config.reasoning(), p);
        ConversationBackend backend = new ConversationBackend(engine, conversation, RequestMapping.topK(p));
        // fail before the images are encoded: the prompt and the whole answer budget must fit the context
        engine.checkFits(backend.encodeConversation(settings.doubleBos()).length, settings.answerBudget());
        ReasoningResult result = new StagedReasoner(backend, settings)
                .reason(conversation.question(), process(engine, conversation.images()), listener);
        return new Outcome(result, backend.promptTokens());
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
