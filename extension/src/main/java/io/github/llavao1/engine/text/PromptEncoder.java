package io.github.llavao1.engine.text;

import java.util.Objects;

/**
 * Turns a rendered prompt into the ids the model is fed, optionally with LLaVA-o1's second BOS.
 *
 * <p>LLaVA-o1's reference code (PKU-YuanGroup/LLaVA-CoT, {@code inference/demo/simple_inference.py}) and its
 * training code tokenize the chat-template string, which already starts with {@code <|begin_of_text|>}, with the
 * tokenizer's BOS added again, so the model was trained and evaluated on {@code [128000, 128000, ...]}. With
 * {@code doubleBos} (the default) this encoder does the same; without it the ids are exactly those of
 * transformers' {@code MllamaProcessor} given {@code add_special_tokens=False}.
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
        int[] ids = tokenizer.encode(renderedPrompt);
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
