package io.github.llavao1.quarkus.runtime;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.llavao1.engine.image.InvalidImageException;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.langchain4j.LlavaO1ChatModel;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.quarkus.runtime.config.LlavaO1Config;
import io.github.llavao1.reasoning.ReasoningResult;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InstanceHandle;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Dev UI card's JSON-RPC methods (dev mode only, registered by the deployment module): the models with their
 * load state and settings, and a staged question about an uploaded image whose whole search comes back.
 */
public class LlavaO1JsonRPCService {

    @Inject
    LlavaO1Engines engines;

    @Inject
    LlavaO1Config config;

    /** Every enabled model: name, load state, device and dtype (requested, and where it runs once loaded), settings. */
    public List<Map<String, Object>> models() {
        List<Map<String, Object>> models = new ArrayList<>();
        for (Map.Entry<String, LlavaO1Engines.Entry> entry : engines.entries().entrySet()) {
            String name = entry.getKey();
            LlavaEngineHandle handle = entry.getValue().handle();
            ModelSettings settings = ModelSettings.of(name, config.model(name));
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("name", name);
            model.put("state", state(entry.getValue()));
            model.put("device", settings.engineOptions().device());
            model.put("dtype", settings.engineOptions().dtype());
            model.put("quantization", settings.engineOptions().quantization());
            model.put("runsOn", handle.isLoaded() ? handle.get().deviceDescription() : null);
            model.put("modelPath", settings.modelPath().toString());
            model.put("modelName", settings.config().modelName().orElse(settings.modelPath().getFileName().toString()));
            model.put("load", settings.config().load().name().toLowerCase(Locale.ROOT));
            model.put("timeout", settings.config().timeout().map(Object::toString).orElse("none"));
            model.put("reasoning", settings.reasoning());
            model.put("imagePolicy", Map.of("maxBytes", settings.imagePolicy().maxBytes(),
                    "maxPixels", settings.imagePolicy().maxPixels()));
            model.put("propertyPrefix", settings.prefix());
            models.add(model);
        }
        return models;
    }

    /**
     * Asks {@code model} ({@code <default>} or a model name) a question about an image sent as base64, through its
     * chat model (so listeners, metrics and the timeout apply), and returns the answer with the whole search: every
     * step's candidates, judgements and winner.
     */
    public Map<String, Object> ask(String model, String imageBase64, String mimeType, String question) {
        if (imageBase64 == null || imageBase64.isBlank()) {
            throw new InvalidImageException("no image: upload one to ask about it");
        }
        String base64 = imageBase64.startsWith("data:") ? imageBase64.substring(imageBase64.indexOf(',') + 1)
                : imageBase64;
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(
                ImageContent.from(base64, mimeType == null || mimeType.isBlank() ? "image/png" : mimeType),
                TextContent.from(question))).build();
        try (InstanceHandle<ChatModel> chat = NamedConfigUtil.isDefault(model)
                ? Arc.container().instance(ChatModel.class)
                : Arc.container().instance(ChatModel.class, ModelName.Literal.of(model))) {
            // The default model may be another provider's, with only the llava-o1 tool in use.
            if (!chat.isAvailable() || !(ClientProxy.unwrap(chat.get()) instanceof LlavaO1ChatModel)) {
                throw new IllegalArgumentException("no llava-o1 chat model named '" + model + "'");
            }
            ChatResponse response = chat.get().chat(request);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("text", response.aiMessage().text());
            answer.put("modelName", response.metadata().modelName());
            ReasoningResult reasoning = response.metadata() instanceof LlavaO1ChatResponseMetadata llava
                    ? llava.reasoning() : null;
            answer.put("reasoning", reasoning);
            return answer;
        }
    }

    private static String state(LlavaO1Engines.Entry entry) {
        RuntimeException failure = entry.handle().loadFailure();
        if (entry.handle().isLoaded()) {
            return "loaded";
        }
        if (failure != null) {
            return "load failed: " + failure.getMessage();
        }
        return entry.eager() ? "not loaded" : "lazy, not loaded yet";
    }
}
