package io.github.llavao1.quarkus.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.github.llavao1.langchain4j.LlavaEngineHandle;
import io.github.llavao1.quarkus.runtime.LlavaO1Engines;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code model-id} with the model already in a Hugging Face cache written by huggingface-cli: it is used as is and
 * loaded during start-up; the Hub endpoint is a closed port, so any request would fail start-up.
 */
class HubModelCachedTest {

    private static final Path CACHE = HubFixtures.cliCache(Path.of("target/hub-cli-cache").toAbsolutePath());

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyCheckpoint.class, HubFixtures.class)
                    .addAsResource(new StringAsset("""
                            quarkus.langchain4j.llava-o1.model-id=%s
                            quarkus.langchain4j.llava-o1.hub.cache-dir=%s
                            quarkus.langchain4j.llava-o1.hub.endpoint=http://127.0.0.1:9
                            quarkus.langchain4j.llava-o1.chat-model.seed=7
                            quarkus.langchain4j.llava-o1.reasoning.max-tokens=6
                            quarkus.langchain4j.llava-o1.reasoning.judge-max-tokens=4
                            """.formatted(HubFixtures.ID, CACHE)), "application.properties"));

    @Inject
    ChatModel chatModel;

    @Inject
    LlavaO1Engines engines;

    @Test
    void theCachedSnapshotIsLoadedAtStartupAndNamesTheModel() {
        LlavaEngineHandle handle = engines.entries().get("<default>").handle();
        assertTrue(handle.isLoaded(), "load=eager loads a cached model during start-up");
        assertEquals(CACHE.resolve("models--Org--Tiny/snapshots").resolve(HubFixtures.COMMIT), handle.modelPath());
        assertEquals(HubFixtures.ID, chatModel.chat(ChatRequest.builder()
                .messages(TinyCheckpoint.questionAboutSquare()).build()).modelName());
    }
}
