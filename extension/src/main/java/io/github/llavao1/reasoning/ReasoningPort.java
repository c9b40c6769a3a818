package io.github.llavao1.reasoning;

import java.util.List;

/**
 * What the search needs from a model for one request, as explicit calls: the question's prompt, candidates
 * continuing it, and judge or check calls. Token-level, so that a stage continues from the winner's exact tokens
 * instead of a re-tokenised string. The model's side implements it (the engine's adapter is
 * {@code io.github.llavao1.backend.EngineReasoning}); the request's images, its prompt source (one question or a
 * whole conversation) and the rendering of prompts are its business. Not thread-safe: the search drives it from
 * one thread and closes it when the request ends.
 */
public interface ReasoningPort extends AutoCloseable {

    /** transformers' {@code GenerationConfig.top_k} default, which applies when a checkpoint sets none. */
    int TRANSFORMERS_DEFAULT_TOP_K = 50;

    /** The question the judge prompts quote: the request's question, or a conversation's last user turn. */
    String question();

    /**
     * The prompt every answer continues, as token ids: the question's user turn with the request's images, or the
     * whole conversation ending in it, followed by the assistant header.
     */
    int[] questionPrompt();

    /**
     * Samples {@code n} candidates continuing {@code prefix} (the {@link #questionPrompt()} followed by the answer so
     * far) as one batch. Each sequence ends at the first stop string in its generated text or once that text ends
     * with a stop suffix (either is included in the text), at an EOS token (included in the tokens, not in the
     * text), or after {@code maxNewTokens}. The result has exactly {@code n} generations, in sequence order.
     *
     * @param stage the stage whose section the candidates write, or {@code null} when they write a whole answer
     *              or one sentence of it (the port may add stops of its own to the calls that write the answer)
     */
    List<Generation> sampleCandidates(Stage stage, int[] prefix, int n, Sampling sampling, SequenceListener listener);

    /**
     * One judge or check call: {@code text} as a fresh user turn (the reference starts a new conversation for every
     * judgement), with the request's images or text-only, sampled once from there.
     *
     * @param withImages whether the prompt shows the request's images (a request without images has none to show)
     */
    Generation sampleJudge(String text, boolean withImages, Sampling sampling, SequenceListener listener);

    /**
     * The top-k this model samples with when the settings set none: its {@code generation_config.json}
     * {@code top_k}, else {@link #TRANSFORMERS_DEFAULT_TOP_K}, as transformers' {@code generate} does for the
     * reference.
     */
    default int defaultTopK() {
        return TRANSFORMERS_DEFAULT_TOP_K;
    }

    /** The text of {@code tokens}, special tokens skipped. */
    String decode(int[] tokens);

    @Override
    void close();
}
