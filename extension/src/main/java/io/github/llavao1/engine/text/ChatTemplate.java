package io.github.llavao1.engine.text;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Ports the chat template of Llama-3.2-11B-Vision-Instruct (the jinja {@code chat_template} that LLaVA-o1's
 * checkpoint inherits), rendered the way transformers' {@code apply_chat_template} renders it: no tools, the date
 * from {@code strftime_now("%d %b %Y")}.
 *
 * <p>What the template does, and this class with it:
 * <ul>
 *   <li>writes {@code <|begin_of_text|>}, then for each message
 *       {@code <|start_header_id|>role<|end_header_id|>\n\n} + content + {@code <|eot_id|>}, and with
 *       {@code addGenerationPrompt} an open assistant header; text parts are written as they are (not trimmed),
 *       each image part as one {@code <|image|>} in content order;</li>
 *   <li>takes a leading system message out of the turn list and trims it (Python {@code str.strip});</li>
 *   <li>when no message has an image, opens with the system block
 *       {@code Cutting Knowledge Date: December 2023\nToday Date: dd Mon yyyy\n\n} + system text;</li>
 *   <li>refuses a non-blank leading system message together with images;</li>
 *   <li>does not check that roles alternate: a system message after the first is rendered as an ordinary turn
 *       with the header {@code system}, and an empty conversation is an error (the template cannot index it).</li>
 * </ul>
 * Two deliberate differences, both where the template would render garbage: a leading system message is taken as
 * its joined text (the template would print a list-valued system content as a Python repr), and an image part
 * inside a system message is rejected (the template skips the leading message's images when it looks for
 * images).
 *
 * <p>{@link #renderPrompt} keeps the template's control tokens apart from the messages' text
 * ({@link RenderedPrompt}), so that {@link PromptEncoder} encodes a special-token string inside a message as text.
 */
public final class ChatTemplate {

    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private final Supplier<LocalDate> today;

    /** Dates the text-only system block with the system clock's local date, as the template does. */
    public ChatTemplate() {
        this(LocalDate::now);
    }

    public ChatTemplate(Supplier<LocalDate> today) {
        this.today = Objects.requireNonNull(today, "today");
    }

    /**
     * The prompt string for {@code messages}; throws {@link IllegalArgumentException} where the template would
     * raise (empty conversation; system message with images) or where it would render garbage (image in a system
     * message).
     */
    public String render(List<PromptMessage> messages, boolean addGenerationPrompt) {
        return renderPrompt(messages, addGenerationPrompt).text();
    }

    /**
     * The prompt for {@code messages} with its control tokens kept apart from the messages' text; its
     * {@link RenderedPrompt#text()} is {@link #render}'s string. Throws as {@link #render} does.
     */
    public RenderedPrompt renderPrompt(List<PromptMessage> messages, boolean addGenerationPrompt) {
        Objects.requireNonNull(messages, "messages");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("cannot render an empty conversation: the chat template needs at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            PromptMessage message = messages.get(i);
            if (message == null) {
                throw new NullPointerException("messages[" + i + "] is null");
            }
            if (message.role() == Role.SYSTEM && message.hasImage()) {
                throw new IllegalArgumentException("messages[" + i + "] is a system message with an image part: "
                        + "Llama 3.2 Vision takes images only in user or assistant turns");
            }
        }
        List<PromptMessage> turns = messages;
        String systemMessage = "";
        if (messages.get(0).role() == Role.SYSTEM) {
            systemMessage = pythonStrip(messages.get(0).text());
            turns = messages.subList(1, messages.size());
        }
        boolean hasImages = false;
        for (PromptMessage turn : turns) {
            hasImages |= turn.hasImage();
        }
        if (hasImages && !systemMessage.isEmpty()) {
            // The template's own words (raise_exception in the jinja source).
            throw new IllegalArgumentException("Prompting with images is incompatible with system messages. "
                    + "Put the instruction into the user turn instead.");
        }

        RenderedPrompt.Builder prompt = RenderedPrompt.builder().control(LlamaTokenizer.BEGIN_OF_TEXT);
        if (!hasImages) {
            header(prompt, Role.SYSTEM);
            prompt.text("Cutting Knowledge Date: December 2023\n")
                    .text("Today Date: " + dateString(today.get()) + "\n\n")
                    .text(systemMessage)
                    .control(LlamaTokenizer.END_OF_TURN);
        }
        for (PromptMessage turn : turns) {
            header(prompt, turn.role());
            for (ContentPart part : turn.parts()) {
                if (part instanceof ContentPart.Text text) {
                    prompt.text(text.text());
                } else {
                    prompt.control(LlamaTokenizer.IMAGE);
                }
            }
            prompt.control(LlamaTokenizer.END_OF_TURN);
        }
        if (addGenerationPrompt) {
            header(prompt, Role.ASSISTANT);
        }
        return prompt.build();
    }

    /**
     * The {@link ContentPart.Image#index()} of every image part in the order their {@code <|image|>} tokens appear
     * in the rendered prompt: the order in which the images must be fed to the vision encoder.
     */
    public static int[] imageOrder(List<PromptMessage> messages) {
        List<Integer> order = new ArrayList<>();
        for (PromptMessage message : messages) {
            for (ContentPart part : message.parts()) {
                if (part instanceof ContentPart.Image image) {
                    order.add(image.index());
                }
            }
        }
        int[] out = new int[order.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = order.get(i);
        }
        return out;
    }

    /** strftime's {@code "%d %b %Y"} in the C locale, e.g. "05 Mar 2025", whatever the JVM's default locale. */
    static String dateString(LocalDate date) {
        Objects.requireNonNull(date, "today's date");
        return String.format(Locale.ROOT, "%02d %s %d", date.getDayOfMonth(), MONTHS[date.getMonthValue() - 1], date.getYear());
    }

    private static void header(RenderedPrompt.Builder prompt, Role role) {
        prompt.control(LlamaTokenizer.START_HEADER).text(role.headerName()).control(LlamaTokenizer.END_HEADER)
                .text("\n\n");
    }

    /** Python's {@code str.strip()} (jinja's {@code trim}): also removes NBSP, U+0085 and the other Zs spaces. */
    static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
