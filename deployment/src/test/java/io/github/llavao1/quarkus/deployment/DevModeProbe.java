package io.github.llavao1.quarkus.deployment;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.github.llavao1.langchain4j.LlavaO1ChatResponseMetadata;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.function.BooleanSupplier;

/**
 * The dev-mode test's window into the running application: {@code GET /probe} asks the default model one question
 * and reports the seed it answered with, whether its engine is loaded, and whether the engine of the application
 * this one replaced (if any) is still loaded.
 */
@Singleton
public class DevModeProbe {

    /** System properties outlive a dev-mode restart (the application's class loader does not); JDK types only. */
    static final String CURRENT_ENGINE = "llava-o1.test.dev-mode.current-engine-loaded";
    static final String PREVIOUS_ENGINE = "llava-o1.test.dev-mode.previous-engine-loaded";

    void started(@Observes StartupEvent event, LlavaO1Engines engines) {
        BooleanSupplier loaded = engines.entries().get("<default>").handle()::isLoaded;
        Object previous = System.getProperties().put(CURRENT_ENGINE, loaded);
        if (previous != null) {
            System.getProperties().put(PREVIOUS_ENGINE, previous);
        }
    }

    void routes(@Observes Router router, ChatModel chatModel, LlavaO1Engines engines) {
        router.get("/probe").blockingHandler(context -> {
            var response = chatModel.chat(ChatRequest.builder().messages(TinyCheckpoint.questionAboutSquare()).build());
            long seed = ((LlavaO1ChatResponseMetadata) response.metadata()).reasoning().seed();
            BooleanSupplier previous = (BooleanSupplier) System.getProperties().get(PREVIOUS_ENGINE);
            context.response().end("seed=" + seed
                    + " loaded=" + engines.entries().get("<default>").handle().isLoaded()
                    + " previous=" + (previous == null ? "none" : previous.getAsBoolean() ? "loaded" : "closed"));
        });
    }
}
