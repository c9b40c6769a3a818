package io.github.llavao1.quarkus.deployment;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The engine's tiny random Mllama checkpoint (from the extension's test-jar) and its test image. */
final class TinyCheckpoint {

    static final Path DIR = Fixtures.tinyCheckpoint();

    /** Small budgets keep the random checkpoint's answers short; the tests here assert what holds for any weights. */
    static final String PROPERTIES = """
            quarkus.langchain4j.llava-o1.model-path=%s
            quarkus.langchain4j.llava-o1.chat-model.seed=7
            quarkus.langchain4j.llava-o1.chat-model.top-k=0
            quarkus.langchain4j.llava-o1.reasoning.max-tokens=6
            quarkus.langchain4j.llava-o1.reasoning.judge-max-tokens=4
            """.formatted(DIR);

    private TinyCheckpoint() {
    }

    static UserMessage questionAboutSquare() {
        try {
            String png = Base64.getEncoder().encodeToString(Files.readAllBytes(DIR.resolve("square.png")));
            return UserMessage.from(ImageContent.from(png, "image/png"), TextContent.from("What shape is this?"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
