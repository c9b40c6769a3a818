package io.github.llavao1.quarkus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.llavao1.quarkus.runtime.config.ChatModelConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chat-model values checked at start-up, not by every request, each failing with the property's name. That
 * start-up runs these checks at all is a boot test's (deployment's ConfigInvalidReasoningSettingTest and the other
 * Config*Test); the values themselves need no application.
 */
class ModelSettingsTest {

    private static final String PREFIX = "quarkus.langchain4j.llava-o1.";

    @Test
    void temperatureMustBeAFiniteNumberAtLeastZero() {
        assertRejected(chat("temperature", OptionalDouble.of(-1)), "quarkus.langchain4j.llava-o1.chat-model.temperature",
                "quarkus.langchain4j.llava-o1.chat-model.temperature must be a finite number >= 0 (0 = greedy), was -1.0");
    }

    @Test
    void topPMustBeInTheUnitInterval() {
        assertRejected(chat("topP", OptionalDouble.of(1.5)), "quarkus.langchain4j.llava-o1.chat-model.top-p",
                "quarkus.langchain4j.llava-o1.chat-model.top-p must be in (0, 1], was 1.5");
    }

    @Test
    void topKMustNotBeNegativeAndZeroTurnsItOff() {
        assertRejected(chat("topK", OptionalInt.of(-1)), "quarkus.langchain4j.llava-o1.chat-model.top-k",
                "quarkus.langchain4j.llava-o1.chat-model.top-k must be >= 0 (0 = off), was -1");
        ModelSettings.checkChatModel(PREFIX, chat("topK", OptionalInt.of(0)));
    }

    @Test
    void maxTokensMustGiveEveryStageAToken() {
        assertRejected(chat("maxTokens", OptionalInt.of(0)), "quarkus.langchain4j.llava-o1.chat-model.max-tokens",
                "quarkus.langchain4j.llava-o1.chat-model.max-tokens must be at least 4 (one token per stage), was 0");
    }

    @Test
    void namedModelsAreNamedByTheirPrefix() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ModelSettings.checkChatModel(
                "quarkus.langchain4j.llava-o1.\"vision\".", chat("topP", OptionalDouble.of(0))));
        assertEquals(Set.of("quarkus.langchain4j.llava-o1.\"vision\".chat-model.top-p"), e.getConfigKeys());
    }

    private static void assertRejected(ChatModelConfig chat, String property, String message) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ModelSettings.checkChatModel(PREFIX, chat));
        assertEquals(message, e.getMessage());
        assertEquals(Set.of(property), e.getConfigKeys());
    }

    /** A chat-model group with {@code method} set to {@code value} and everything else unset. */
    private static ChatModelConfig chat(String method, Object value) {
        Map<String, Object> values = Map.of(method, value);
        return (ChatModelConfig) Proxy.newProxyInstance(ChatModelConfig.class.getClassLoader(),
                new Class<?>[] {ChatModelConfig.class}, (proxy, m, args) -> values.getOrDefault(m.getName(), unset(m.getReturnType())));
    }

    private static Object unset(Class<?> type) {
        if (type == OptionalDouble.class) {
            return OptionalDouble.empty();
        } else if (type == OptionalInt.class) {
            return OptionalInt.empty();
        } else if (type == OptionalLong.class) {
            return OptionalLong.empty();
        } else if (type == Optional.class) {
            return Optional.empty();
        } else if (type == boolean.class) {
            return false;
        }
        return ChatModelConfig.ResponseFormat.CONCLUSION;
    }
}
