package io.github.llavao1.engine;

import io.github.llavao1.engine.model.LoadedModel;
import io.github.llavao1.engine.text.LlamaTokenizer;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link Session} and its {@link BatchDecoder} need of their engine, handed over once by the engine instead of
 * calls back into it: the model and the image cache, what checks a prompt (the image token, the context length), what
 * streams and ends a sequence (tokenizer, EOS ids), the lifecycle every call runs under and the sampled-token count.
 */
record SessionContext(LoadedModel model, ImageCache imageCache, LlamaTokenizer tokenizer, Set<Integer> eosTokenIds,
        int imageTokenId, int contextLength, Lifecycle lifecycle, LongAdder sampledTokens) {

    /**
     * Checks, before any compute, that a prompt of {@code promptTokens} and an answer of up to {@code answerBudget}
     * new tokens fit the context.
     *
     * @throws PromptTooLongException naming the counts when they do not
     */
    void checkFits(int promptTokens, int answerBudget) {
        if ((long) promptTokens + answerBudget > contextLength) {
            throw new PromptTooLongException(promptTokens, answerBudget, contextLength);
        }
    }
}
