package io.github.llavao1.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import io.github.llavao1.engine.image.RgbImage;
import io.github.llavao1.engine.text.ContentPart;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.engine.text.Role;
import io.github.llavao1.reasoning.ReasoningSettings;
import io.github.llavao1.reasoning.Stage;
import io.github.llavao1.validation.InvalidSettingException;
import io.github.llavao1.validation.SamplingChecks;
import java.util.ArrayList;
import java.util.List;

/** Maps LangChain4j requests onto the engine and the reasoning search: messages, images and parameters. */
final class RequestMapping {

    private RequestMapping() {
    }

    /**
     * Refuses what LLaVA-o1 cannot honour, naming the parameter, before any work is done. The wording follows
     * LangChain4j's contract suites ({@code AbstractBaseChatModelIT}): the feature's name and "not supported".
     *
     * @param modelName the model's own name: a request naming another model is refused, as one model is loaded
     */
    static void validate(ChatRequestParameters p, String modelName) {
        if (p.modelName() != null && !p.modelName().equals(modelName)) {
            throw new UnsupportedFeatureException("modelName '" + p.modelName() + "' is not supported: this "
                    + "LLaVA-o1 model serves only its loaded checkpoint '" + modelName + "'");
        }
        if (p.toolChoice() == ToolChoice.REQUIRED) {
            throw new UnsupportedFeatureException("ToolChoice.REQUIRED is not supported by LLaVA-o1: it does not "
                    + "call tools");
        }
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedFeatureException("toolSpecifications: tools are not supported by LLaVA-o1; offer "
                    + "it to a planner model as a tool instead (LlavaO1ReasoningTool), or build the model with "
                    + "ignoreOfferedTools to answer such requests without calling tools");
        }
        if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
            throw new UnsupportedFeatureException("responseFormat: JSON response format is not supported by "
                    + "LLaVA-o1, which answers in its staged text format; the structured result is in the response "
                    + "metadata (LlavaO1ChatResponseMetadata.reasoning())");
        }
        if (p.frequencyPenalty() != null) {
            throw new UnsupportedFeatureException("frequencyPenalty is not supported by LLaVA-o1");
        }
        if (p.presencePenalty() != null) {
            throw new UnsupportedFeatureException("presencePenalty is not supported by LLaVA-o1");
        }
        if (p.maxOutputTokens() != null && p.maxOutputTokens() < Stage.values().length) {
            throw new InvalidSettingException("maxOutputTokens", "must be at least " + Stage.values().length
                    + " (one token per stage), was " + p.maxOutputTokens());
        }
        SamplingChecks.topK("topK", p.topK());
        if (p.stopSequences() != null && p.stopSequences().stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new InvalidSettingException("stopSequences", "must not contain null or empty strings");
        }
    }

    /**
     * The model's reasoning settings with the request's parameters applied: temperature, top-p and top-k are the
     * candidates' (judges keep theirs, as their verdicts are part of the search, not of the answer's style);
     * maxOutputTokens is split evenly over the four stages, never raising a stage's own budget, so the answer
     * cannot exceed it.
     */
    static ReasoningSettings settings(ReasoningSettings base, ChatRequestParameters p) {
        ReasoningSettings.Builder b = base.toBuilder();
        if (p.temperature() != null) {
            b.candidateTemperature(p.temperature());
        }
        if (p.topP() != null) {
            b.candidateTopP(p.topP());
        }
        if (p.topK() != null) {
            b.candidateTopK(p.topK());
        }
        if (p.maxOutputTokens() != null) {
            Stage[] stages = Stage.values();
            int share = p.maxOutputTokens() / stages.length;
            int extra = p.maxOutputTokens() % stages.length;
            for (int i = 0; i < stages.length; i++) {
                b.maxTokens(stages[i], Math.min(base.maxTokens(stages[i]), share + (i < extra ? 1 : 0)));
            }
        }
        if (p instanceof LlavaO1ChatRequestParameters own) {
            if (own.seed() != null) {
                b.seed(own.seed());
            }
            if (own.reasoningMode() != null) {
                b.mode(own.reasoningMode());
            }
            if (own.candidates() != null) {
                b.candidates(own.candidates());
            }
        }
        return b.build();
    }

    /**
     * The chat in template form. Images are decoded here, in message order, under the loader's policy. Llama 3.2
     * Vision's template refuses a system message together with images and asks for the instruction in the user
     * turn; so with images, a leading system message is prepended to the first user turn's text.
     */
    static Conversation conversation(List<ChatMessage> messages, ImageLoader images) {
        check(messages, images);
        List<PromptMessage> turns = new ArrayList<>();
        List<RgbImage> decoded = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (message instanceof SystemMessage system) {
                turns.add(PromptMessage.system(system.text()));
            } else if (message instanceof UserMessage user) {
                turns.add(userTurn(user, images, decoded));
            } else {
                AiMessage ai = (AiMessage) message;
                turns.add(PromptMessage.assistant(ai.text() == null ? "" : ai.text()));
            }
        }
        if (!decoded.isEmpty() && turns.get(0).role() == Role.SYSTEM) {
            turns = foldSystemIntoFirstUserTurn(turns);
        }
        PromptMessage last = turns.get(turns.size() - 1);
        if (last.role() != Role.USER) {
            throw new IllegalArgumentException("the last message must be a user message, was " + last.role());
        }
        return new Conversation(turns, decoded, last.text());
    }

    /**
     * What {@link #conversation} refuses without decoding anything: empty chats, message and content kinds LLaVA-o1
     * cannot take, image URLs the policy refuses. Cheap, so the streaming model runs it on the caller's thread.
     */
    static void check(List<ChatMessage> messages, ImageLoader images) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message instanceof UserMessage user) {
                for (Content content : user.contents()) {
                    if (content instanceof ImageContent image) {
                        images.check(image.image());
                    } else if (!(content instanceof TextContent)) {
                        throw new UnsupportedFeatureException("messages[" + i + "] has " + content.type()
                                + " content, which is not supported by LLaVA-o1 (text and images only)");
                    }
                }
            } else if (message instanceof AiMessage ai) {
                if (ai.hasToolExecutionRequests()) {
                    throw new UnsupportedFeatureException("messages[" + i + "] requests tool calls: tools are not "
                            + "supported by LLaVA-o1");
                }
            } else if (!(message instanceof SystemMessage)) {
                throw new UnsupportedFeatureException("messages[" + i + "] is a " + message.type()
                        + " message, which is not supported by LLaVA-o1 (system, user and AI messages only)");
            }
        }
    }

    private static PromptMessage userTurn(UserMessage user, ImageLoader images, List<RgbImage> decoded) {
        List<ContentPart> parts = new ArrayList<>();
        for (Content content : user.contents()) {
            if (content instanceof ImageContent image) {
                decoded.add(images.load(image.image()));
                parts.add(ContentPart.image(decoded.size() - 1));
            } else {
                parts.add(ContentPart.text(((TextContent) content).text()));
            }
        }
        return new PromptMessage(Role.USER, parts);
    }

    private static List<PromptMessage> foldSystemIntoFirstUserTurn(List<PromptMessage> turns) {
        String instruction = turns.get(0).text().strip();
        List<PromptMessage> folded = new ArrayList<>(turns.subList(1, turns.size()));
        for (int i = 0; i < folded.size(); i++) {
            PromptMessage turn = folded.get(i);
            if (turn.role() == Role.USER) {
                List<ContentPart> parts = new ArrayList<>(turn.parts());
                int firstText = 0;
                while (firstText < parts.size() && !(parts.get(firstText) instanceof ContentPart.Text)) {
                    firstText++;
                }
                parts.add(firstText, ContentPart.text(instruction + "\n\n"));
                folded.set(i, new PromptMessage(Role.USER, parts));
                break;
            }
        }
        return folded;
    }
}
