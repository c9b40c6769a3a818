package io.github.llavao1.langchain4j;

import io.github.llavao1.engine.image.RgbImage;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.engine.text.Role;
import java.util.List;

/**
 * A chat request mapped to the engine's terms: the turns in template form (image parts index {@code images} in
 * prompt order), the decoded images, and the question the reasoning search answers (the last user turn's text).
 */
record Conversation(List<PromptMessage> messages, List<RgbImage> images, String question) {

    Conversation {
        messages = List.copyOf(messages);
        images = List.copyOf(images);
        if (messages.isEmpty() || messages.get(messages.size() - 1).role() != Role.USER) {
            throw new IllegalArgumentException("the last message must be a user message: LLaVA-o1 answers it");
        }
    }

    /** Whether earlier turns precede the question (then the search starts from the whole rendered conversation). */
    boolean multiTurn() {
        return messages.size() > 1;
    }
}
