package io.github.llavao1.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One chat message: its role and its content parts in order. */
public record PromptMessage(Role role, List<ContentPart> parts) {

    public PromptMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(parts, "parts");
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) == null) {
                throw new NullPointerException("parts[" + i + "] of a " + role + " message is null");
            }
        }
        parts = List.copyOf(parts);
    }

    public static PromptMessage system(String text) {
        return new PromptMessage(Role.SYSTEM, List.of(ContentPart.text(text)));
    }

    public static PromptMessage user(String text) {
        return new PromptMessage(Role.USER, List.of(ContentPart.text(text)));
    }

    public static PromptMessage user(ContentPart... parts) {
        return new PromptMessage(Role.USER, List.of(parts));
    }

    public static PromptMessage assistant(String text) {
        return new PromptMessage(Role.ASSISTANT, List.of(ContentPart.text(text)));
    }

    /** The common single-turn shape: the images first, then the question (the LLaVA-o1 prompt). */
    public static PromptMessage userWithImages(int imageCount, String question) {
        if (imageCount < 0) {
            throw new IllegalArgumentException("imageCount must be >= 0, got " + imageCount);
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < imageCount; i++) {
            parts.add(ContentPart.image(i));
        }
        parts.add(ContentPart.text(question));
        return new PromptMessage(Role.USER, parts);
    }

    public boolean hasImage() {
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Image) {
                return true;
            }
        }
        return false;
    }

    /** The text parts joined, images left out. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }
}
