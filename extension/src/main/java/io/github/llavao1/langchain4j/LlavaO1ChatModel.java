package io.github.llavao1.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.llavao1.reasoning.ReasoningListener;
import java.util.List;

/**
 * LLaVA-o1 as a LangChain4j {@link ChatModel}: each request runs the staged reasoning search (see
 * {@code extension/REASONING.md}) over the conversation and answers with the CONCLUSION; the other stages are the
 * message's {@code thinking()}, the structured result and token counts are in {@link LlavaO1ChatResponseMetadata}.
 *
 * <pre>{@code
 * ChatModel model = LlavaO1ChatModel.builder().modelPath(Path.of("Llama-3.2V-11B-cot")).build();
 * ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from(
 *         TextContent.from("What is shown?"), ImageContent.from(base64Png, "image/png"))).build());
 * }</pre>
 *
 * Thread-safe: concurrent requests share the loaded weights and nothing else. Listeners are called by
 * {@link ChatModel#chat(ChatRequest)} around {@link #doChat}, so this class does not call them itself.
 */
public class LlavaO1ChatModel implements ChatModel {

    private final ReasoningCall call;

    LlavaO1ChatModel(ModelConfig config) {
        this.call = new ReasoningCall(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The engine handle requests run on; share it with a streaming model or close it to free the model. */
    public LlavaEngineHandle engine() {
        return call.config().engine();
    }

    /** The image policy chat images and tool arguments are held to. */
    public ImagePolicy imagePolicy() {
        return call.config().imagePolicy();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return call.run(request, ReasoningListener.NONE);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return call.config().defaults();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return call.config().listeners();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** What the tool and the agent run: the same request path, without listeners of the caller's own. */
    ReasoningCall reasoningCall() {
        return call;
    }

    public static final class Builder extends LlavaO1ModelBuilder<Builder> {
        private Builder() {
        }

        public LlavaO1ChatModel build() {
            return new LlavaO1ChatModel(config());
        }
    }
}
