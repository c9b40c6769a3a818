package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.langchain4j.service.tool.ToolProvider;
import io.github.llavao1.quarkus.runtime.LlavaO1JsonRPCService;
import io.quarkiverse.langchain4j.runtime.devui.ChatJsonRPCService;
import io.quarkiverse.langchain4j.runtime.devui.json.ChatMessagePojo;
import io.quarkiverse.langchain4j.runtime.devui.json.ChatResultPojo;
import io.quarkiverse.langchain4j.runtime.devui.json.MessageType;
import io.quarkiverse.langchain4j.runtime.tool.QuarkusToolExecutorFactory;
import io.quarkus.arc.All;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Dev UI's JSON-RPC services, as beans of a test application with two llava-o1 models: this extension's card
 * (models with their state and settings, a staged question about an image with the whole search), and the
 * quarkus-langchain4j Chat page's, which offers every tool of the application to the default model and looks the
 * tool beans up with {@code @Any}. Here their answers are checked field by field, with two models and a lazy one;
 * {@link DevUiBrowserTest} drives the pages themselves in dev mode in a browser.
 */
class DevUiServicesTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, CardService.class, ChatPageService.class,
                            ConfigErrors.UsesChatModel.class)
                    .addAsResource(new StringAsset(TinyCheckpoint.PROPERTIES + """
                            quarkus.langchain4j.llava-o1.chat-model.ignore-offered-tools=true
                            quarkus.langchain4j.second.chat-model.provider=llava-o1
                            quarkus.langchain4j.llava-o1.second.model-path=%s
                            quarkus.langchain4j.llava-o1.second.load=lazy
                            quarkus.langchain4j.llava-o1.second.device=cpu
                            quarkus.langchain4j.llava-o1.second.chat-model.ignore-offered-tools=true
                            quarkus.langchain4j.llava-o1.second.chat-model.top-k=0
                            quarkus.langchain4j.llava-o1.second.reasoning.max-tokens=6
                            quarkus.langchain4j.llava-o1.second.reasoning.judge-max-tokens=4
                            """.formatted(TinyCheckpoint.DIR)), "application.properties"));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The card's service as Dev UI makes it: a bean of the application. */
    @Singleton
    static class CardService extends LlavaO1JsonRPCService {
    }

    /** The Chat page's service, constructed as Dev UI does (the memory provider falls back as in an app without one). */
    @Singleton
    static class ChatPageService extends ChatJsonRPCService {
        @Inject
        ChatPageService(@All List<ChatModel> models, @All List<StreamingChatModel> streamingModels,
                @All List<Supplier<RetrievalAugmentor>> augmentorSuppliers, @All List<RetrievalAugmentor> augmentors,
                Instance<ChatMemoryProvider> memory, QuarkusToolExecutorFactory tools,
                @All List<Supplier<ToolProvider>> toolProviderSuppliers, @All List<ToolProvider> toolProviders) {
            super(models, streamingModels, augmentorSuppliers, augmentors, memory.isResolvable() ? memory.get()
                    : id -> MessageWindowChatMemory.builder().id(id).maxMessages(10).build(), tools,
                    toolProviderSuppliers, toolProviders);
        }
    }

    @Inject
    CardService card;

    @Inject
    ChatPageService chatPage;

    @Test
    void theCardListsTheModelsWithStateDeviceAndSettings() {
        JsonNode models = JSON.valueToTree(card.models());
        assertEquals(2, models.size(), models::toPrettyString);
        JsonNode first = models.get(0).get("name").asText().equals("<default>") ? models.get(0) : models.get(1);
        JsonNode second = first == models.get(0) ? models.get(1) : models.get(0);
        assertEquals("loaded", first.get("state").asText());
        assertEquals("auto", first.get("device").asText());
        assertTrue(first.get("runsOn").asText().startsWith("cpu()"), first::toPrettyString);
        assertEquals(2, first.get("reasoning").get("candidates").asInt(), first::toPrettyString);
        assertEquals("second", second.get("name").asText());
        assertEquals("lazy, not loaded yet", second.get("state").asText());
        assertEquals("cpu", second.get("device").asText());
        assertEquals("quarkus.langchain4j.llava-o1.\"second\".", second.get("propertyPrefix").asText());
    }

    @Test
    void theAskPageReturnsTheAnswerAndEveryStepOfTheSearch() throws Exception {
        String png = Base64.getEncoder().encodeToString(Files.readAllBytes(TinyCheckpoint.DIR.resolve("square.png")));
        JsonNode answer = JSON.valueToTree(card.ask("<default>", "data:image/png;base64," + png, "image/png",
                "What shape is this?"));
        JsonNode reasoning = answer.get("reasoning");
        assertEquals(reasoning.get("conclusion").asText(), answer.get("text").asText(), answer::toPrettyString);
        JsonNode steps = reasoning.get("steps");
        assertEquals(4, steps.size(), "SUMMARY, CAPTION, REASONING, CONCLUSION: " + steps.toPrettyString());
        for (JsonNode step : steps) {
            assertEquals(2, step.get("candidates").size(), step::toPrettyString);
            assertEquals(1, step.get("judgements").size(), step::toPrettyString);
            int winner = step.get("winner").asInt();
            assertTrue(winner == 0 || winner == 1, step::toPrettyString);
        }
    }

    @Test
    void theCoreChatPageAnswersWithTheLlavaModelThoughItOffersTheTool() {
        ChatResultPojo result = chatPage.chat("Hello", false);
        assertNull(result.getError());
        List<ChatMessagePojo> history = result.getHistory();
        assertEquals(MessageType.AI, history.get(history.size() - 1).getType(), history::toString);
    }

    @Test
    void theCoreChatPageStreamsWithTheLlavaModel() {
        assertTrue(chatPage.isStreamingChatSupported());
        // A bound on a hung test, not a timed assertion.
        List<JsonObject> events = chatPage.streamingChat("Hello", false).collect().asList()
                .await().atMost(Duration.ofMinutes(5));
        assertFalse(events.isEmpty());
        assertTrue(events.get(events.size() - 1).containsKey("message"), events::toString);
    }
}
