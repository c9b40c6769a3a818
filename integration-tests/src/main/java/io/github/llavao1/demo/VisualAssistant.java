package io.github.llavao1.demo;

import dev.langchain4j.data.image.Image;
import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;

/** An AI service over the default {@code llava-o1} chat model, with the image as a plain method parameter. */
@RegisterAiService
public interface VisualAssistant {

    @UserMessage("{question}")
    String answer(String question, Image image);
}
