package io.github.llavao1.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chat prompt as {@link ChatTemplate} renders it, with the template's own control tokens ({@code <|eot_id|>},
 * {@code <|image|>}, the header tokens) kept apart from the text between them. {@link PromptEncoder} encodes the
 * control tokens as their ids and the text as plain text, so a special-token string inside a message (a user's
 * question, a tool argument, a candidate quoted in a judge prompt) can never forge a turn or an image slot.
 * Immutable.
 */
public final class RenderedPrompt {

    /** One piece of the prompt. */
    public sealed interface Segment permits Control, Text {
    }

    /** A special token written by the template itself, e.g. {@code <|start_header_id|>}. */
    public record Control(String token) implements Segment {
        public Control {
            Objects.requireNonNull(token, "token");
        }
    }

    /** Text, encoded as plain text whatever it contains. */
    public record Text(String text) implements Segment {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    private final List<Segment> segments;

    private RenderedPrompt(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The prompt as one string, as the jinja template renders it. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments) {
            out.append(segment instanceof Control control ? control.token() : ((Text) segment).text());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    static Builder builder() {
        return new Builder();
    }

    /** Appends segments in order; adjacent text is merged, as the tokenizer reads it in one run. */
    static final class Builder {
        private final List<Segment> segments = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        Builder control(String token) {
            flushText();
            segments.add(new Control(token));
            return this;
        }

        Builder text(String value) {
            text.append(value);
            return this;
        }

        RenderedPrompt build() {
            flushText();
            return new RenderedPrompt(segments);
        }

        private void flushText() {
            if (!text.isEmpty()) {
                segments.add(new Text(text.toString()));
                text.setLength(0);
            }
        }
    }
}
