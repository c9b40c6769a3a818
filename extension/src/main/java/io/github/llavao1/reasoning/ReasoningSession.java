package io.github.llavao1.reasoning;

import java.util.List;

/**
 * One request's state in the backend (encoded images, their cross-attention K/V, cached prefixes). Not
 * thread-safe: the search drives it from one thread and closes it when the request ends.
 */
public interface ReasoningSession extends AutoCloseable {

    /**
     * The chat-rendered user turn (the images first, then {@code text}; no system prompt) followed by the
     * assistant header, as token ids including BOS ({@code doubleBos} adds the second BOS the checkpoint was
     * trained with). {@code withImages = false} renders the text-only template, which the reasoning pre-check
     * uses.
     */
    int[] userPrompt(String text, boolean withImages, boolean doubleBos);

    /**
     * Samples {@code request.n()} continuations of {@code request.prefix()} as one batch, reusing whatever part
     * of the prefix is cached. Each sequence ends at the first stop string in its generated text or once that text
     * ends with a stop suffix (either is included in the text), at an EOS token (included in the tokens, not in the text), or after
     * {@code maxNewTokens}. The result has exactly {@code n} generations, in sequence order.
     *
     * @param listenerOrNull receives every sampled token; an exception it throws aborts the call
     */
    List<Generation> generate(GenerationRequest request, TokenListener listenerOrNull);

    /** transformers' {@code GenerationConfig.top_k} default, which applies when a checkpoint sets none. */
    int TRANSFORMERS_DEFAULT_TOP_K = 50;

    /**
     * The top-k this model samples with when a request sets none: its {@code generation_config.json} {@code top_k},
     * else {@link #TRANSFORMERS_DEFAULT_TOP_K}, as transformers' {@code generate} does for the reference.
     */
    default int defaultTopK() {
        return TRANSFORMERS_DEFAULT_TOP_K;
    }

    /** The text of {@code tokens}, special tokens skipped. */
    String decode(int[] tokens);

    @Override
    void close();
}
