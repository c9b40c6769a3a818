package io.github.llavao1.engine;

/**
 * A prompt, together with the tokens its answer may need, does not fit the model's context
 * ({@code text_config.max_position_embeddings}). Thrown before any compute, so the request costs nothing; the
 * message is meant for the client (it names the counts, never the prompt's text).
 */
public class PromptTooLongException extends IllegalArgumentException {

    private final int promptTokens;
    private final int answerBudget;
    private final int contextLength;

    public PromptTooLongException(int promptTokens, int answerBudget, int contextLength) {
        super(message(promptTokens, answerBudget, contextLength));
        this.promptTokens = promptTokens;
        this.answerBudget = answerBudget;
        this.contextLength = contextLength;
    }

    private static String message(int promptTokens, int answerBudget, int contextLength) {
        if (answerBudget == 0) {
            return "the prompt has " + promptTokens + " tokens, over the model's context of " + contextLength
                    + " tokens: shorten the question or the conversation";
        }
        return "the prompt has " + promptTokens + " tokens and the answer may need " + answerBudget + " more: "
                + ((long) promptTokens + answerBudget) + " tokens, over the model's context of " + contextLength
                + " tokens: shorten the question or the conversation, or lower the answer's token budget";
    }

    /** Tokens of the prompt. */
    public int promptTokens() {
        return promptTokens;
    }

    /** New tokens the answer may need on top of the prompt (0 when only the prompt was checked). */
    public int answerBudget() {
        return answerBudget;
    }

    /** The model's context: positions a sequence may have. */
    public int contextLength() {
        return contextLength;
    }
}
