package io.github.llavao1.engine.text;

import java.util.Objects;

/** One piece of a chat message's content, as in transformers' {@code {"type": "text"|"image", ...}} entries. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

    static Text text(String text) {
        return new Text(text);
    }

    static Image image(int index) {
        return new Image(index);
    }

    /** Literal text, written into the prompt unchanged (not trimmed, as the template does for user turns). */
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An image, rendered as one {@code <|image|>} token; {@code index} points into the request's image list. */
    record Image(int index) implements ContentPart {
        public Image {
            if (index < 0) {
                throw new IllegalArgumentException("image index must be >= 0, got " + index);
            }
        }
    }
}
