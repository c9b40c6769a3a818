package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.shrinkwrap.api.asset.StringAsset;

/** An application that must fail to start, and the texts its failure must name. */
final class ConfigErrors {

    private ConfigErrors() {
    }

    static QuarkusUnitTest failingStartup(String properties, List<String> expected) {
        return new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClass(UsesChatModel.class)
                        .addAsResource(new StringAsset(properties), "application.properties"))
                .assertException(e -> {
                    String messages = messages(e);
                    for (String text : expected) {
                        assertTrue(messages.contains(text), () -> "expected '" + text + "' in:\n" + messages);
                    }
                });
    }

    /** The whole cause chain's messages: Quarkus wraps start-up failures. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** Injects the default chat model, so that the provider is selected for it. */
    @ApplicationScoped
    static class UsesChatModel {
        @Inject
        ChatModel model;
    }
}
