package io.github.llavao1.engine.text;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns a rendered prompt into the ids the model is fed, optionally with LLaVA-o1's second BOS.
 *
 * <p>LLaVA-o1's reference code (PKU-YuanGroup/LLaVA-CoT, {@code inference/demo/simple_inference.py}) and its
 * training code tokenize the chat-template string, which already starts with {@code <|begin_of_text|>}, with the
 * tokenizer's BOS added again, so the model was trained and evaluated on {@code [128000, 128000, ...]}. With
 * {@code doubleBos} (the default) this encoder does the same; without it the ids are exactly those of
 * transformers' {@code MllamaProcessor} given {@code add_special_tokens=False}.
 *
 * <p>Encode chats through {@link #encode(RenderedPrompt)}: only the template's own control tokens become special
 * ids, the messages' text is plain text ({@link LlamaTokenizer#encodeText}), so a question containing
 * {@code <|image|>} or {@code <|eot_id|><|start_header_id|>assistant<|end_header_id|>} is read as those characters.
 * For a prompt without such strings the ids are the same as {@link #encode(String)}'s: the tokenizer splits at
 * special tokens before anything else, so encoding the text between them run by run changes nothing.
 */
public final class PromptEncoder {

    private final LlamaTokenizer tokenizer;
    private final boolean doubleBos;
    private final int bosId;

    /** With the double BOS LLaVA-o1 was trained with. */
    public PromptEncoder(LlamaTokenizer tokenizer) {
        this(tokenizer, true);
    }

    public PromptEncoder(LlamaTokenizer tokenizer, boolean doubleBos) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.doubleBos = doubleBos;
        this.bosId = tokenizer.tokenId(LlamaTokenizer.BEGIN_OF_TEXT);
    }

    /**
     * Ids of {@code renderedPrompt}, which must start with {@code <|begin_of_text|>} (as {@link ChatTemplate}
     * output does); with {@code doubleBos} they start with two BOS ids.
     */
    public int[] encode(String renderedPrompt) {
        Objects.requireNonNull(renderedPrompt, "renderedPrompt");
        if (!renderedPrompt.startsWith(LlamaTokenizer.BEGIN_OF_TEXT)) {
            throw new IllegalArgumentException("a rendered prompt must start with " + LlamaTokenizer.BEGIN_OF_TEXT
                    + " (render it with ChatTemplate); got: " + abbreviate(renderedPrompt));
        }
        return withBos(tokenizer.encode(renderedPrompt));
    }

    /**
     * Ids of {@code prompt}: its control tokens as their special ids, its text as plain text (special-token
     * strings included); it must start with {@code <|begin_of_text|>}; with {@code doubleBos} the ids start with
     * two BOS ids.
     */
    public int[] encode(RenderedPrompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        List<RenderedPrompt.Segment> segments = prompt.segments();
        if (segments.isEmpty() || !(segments.get(0) instanceof RenderedPrompt.Control first)
                || !first.token().equals(LlamaTokenizer.BEGIN_OF_TEXT)) {
            throw new IllegalArgumentException("a rendered prompt must start with " + LlamaTokenizer.BEGIN_OF_TEXT
                    + " (render it with ChatTemplate); got: " + abbreviate(prompt.text()));
        }
        int[] ids = new int[0];
        int length = 0;
        for (RenderedPrompt.Segment segment : segments) {
            int[] piece = segment instanceof RenderedPrompt.Control control
                    ? new int[] {tokenizer.tokenId(control.token())}
                    : tokenizer.encodeText(((RenderedPrompt.Text) segment).text());
            if (length + piece.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(2 * ids.length, length + piece.length));
            }
            System.arraycopy(piece, 0, ids, length, piece.length);
            length += piece.length;
        }
        return withBos(Arrays.copyOf(ids, length));
    }

    private int[] withBos(int[] ids) {
        if (!doubleBos) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bosId;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    public boolean doubleBos() {
        return doubleBos;
    }

    public int bosId() {
        return bosId;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? '"' + s + '"' : '"' + s.substring(0, 60) + "...\"";
    }
}
