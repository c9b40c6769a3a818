package io.github.llavao1.langchain4j;

import java.util.List;
import java.util.function.Consumer;

/**
 * Splits the answer text, as it is decided, into the thinking stream (everything before the conclusion, tags
 * included) and the response stream (the conclusion's text, without its tags, cut before a stop sequence). The
 * conclusion starts at {@code <CONCLUSION>}, or where the caller says it does ({@link #startConclusion()}: the
 * stage search knows which step is the CONCLUSION even when the model wrote no tag). Text that might still turn
 * into a tag or a stop sequence is held back until more arrives or {@link #finish(String)}. With
 * {@code includeStages} the whole answer goes to the response stream, as in the blocking model's text.
 */
final class StagedTextStream {

    private static final String OPEN = "<CONCLUSION>";
    private static final String CLOSE = "</CONCLUSION>";

    private final boolean includeStages;
    private final List<String> stopSequences;
    private final Consumer<String> thinking;
    private final Consumer<String> response;
    private final StringBuilder decided = new StringBuilder();
    private final StringBuilder responseSent = new StringBuilder();
    private int thinkingSent;
    private int conclusionStart = -1;

    StagedTextStream(boolean includeStages, List<String> stopSequences, Consumer<String> thinking,
                     Consumer<String> response) {
        this.includeStages = includeStages;
        this.stopSequences = stopSequences == null ? List.of() : stopSequences;
        this.thinking = thinking;
        this.response = response;
    }

    void append(String text) {
        decided.append(text);
        emit(false);
    }

    /** What is appended from now on is the conclusion. */
    void startConclusion() {
        if (conclusionStart < 0 && decided.indexOf(OPEN) < 0) {
            conclusionStart = decided.length();
        }
    }

    /**
     * Emits whatever was held back, then the rest of {@code finalText} (the response's text) when what was streamed
     * is its beginning: the search repairs an answer whose tags are missing, so the final conclusion can hold text
     * that was not streamed as such.
     */
    void finish(String finalText) {
        emit(true);
        String sent = responseSent.toString();
        if (finalText != null && finalText.startsWith(sent) && finalText.length() > sent.length()) {
            send(finalText.substring(sent.length()));
        }
    }

    private void send(String text) {
        response.accept(text);
        responseSent.append(text);
    }

    private void emit(boolean last) {
        String text = decided.toString();
        String thinkingPart = "";
        String responsePart;
        boolean responseComplete = false;
        if (includeStages) {
            responsePart = text;
        } else {
            int open = conclusionStart >= 0 ? conclusionStart : text.indexOf(OPEN);
            thinkingPart = open < 0 ? text : text.substring(0, open);
            responsePart = open < 0 ? "" : text.substring(open).stripLeading();
            if (responsePart.startsWith(OPEN)) {
                responsePart = responsePart.substring(OPEN.length()).stripLeading();
            }
            if (open < 0 && !last) {
                thinkingPart = holdBack(thinkingPart, OPEN.length() - 1);
            }
            int close = responsePart.indexOf(CLOSE);
            if (close >= 0) {
                responsePart = responsePart.substring(0, close);
                responseComplete = true;
            }
        }
        int stop = ResponseMapping.firstStop(responsePart, stopSequences);
        if (stop >= 0) {
            responsePart = responsePart.substring(0, stop);
            responseComplete = true;
        }
        if (!responseComplete && !last) {
            int longest = includeStages ? 0 : CLOSE.length();
            for (String s : stopSequences) {
                longest = Math.max(longest, s.length());
            }
            responsePart = holdBack(responsePart, longest - 1);
        }
        if (thinkingPart.length() > thinkingSent) {
            thinking.accept(thinkingPart.substring(thinkingSent));
            thinkingSent = thinkingPart.length();
        }
        if (responsePart.length() > responseSent.length()) {
            send(responsePart.substring(responseSent.length()));
        }
    }

    private static String holdBack(String text, int chars) {
        return chars <= 0 ? text : text.substring(0, Math.max(0, text.length() - chars));
    }
}
