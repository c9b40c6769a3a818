package io.github.llavao1.langchain4j;

import io.github.llavao1.reasoning.Stage;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits the answer, as it is decided piece by piece, into the thinking stream and the response stream. Both the
 * streaming model (piece by piece) and the blocking model (all pieces at once, {@link ResponseMapping}) build the
 * message through this class, so the partial texts always concatenate exactly to the final {@code text()} and
 * {@code thinking()}: every emitted piece is a prefix of what the whole answer splits into, whatever the piece
 * boundaries.
 *
 * <p>Where the response starts:
 * <ul>
 *   <li>stage-aware (stage-level search): where the caller says the CONCLUSION step begins
 *       ({@link #startConclusion()}), or at an earlier {@code <CONCLUSION>} tag; before that everything is
 *       thinking, tags included, even when the model wrote none;</li>
 *   <li>otherwise from the text alone: an answer that opens with a SUMMARY, CAPTION or REASONING tag is thinking
 *       up to {@code <CONCLUSION>}; an answer that opens with anything else does not follow the staged format and
 *       is all response.</li>
 * </ul>
 * The response is the conclusion without its tags and surrounding white space, ending before {@code </CONCLUSION>}
 * or the first stop sequence (then untrimmed at its end), so that for a model that follows the format, or writes
 * no tags at all in stage-level search, it equals the parsed CONCLUSION. With {@code includeStages} the whole answer is the response and nothing is thinking.
 * Text that might still turn into a tag or a stop sequence is held back until more arrives or {@link #finish()}.
 */
final class StagedTextStream {

    private static final String OPEN = Stage.CONCLUSION.openTag();
    private static final String CLOSE = Stage.CONCLUSION.closeTag();
    private static final List<String> THINKING_TAGS = List.of(Stage.SUMMARY.openTag(), Stage.CAPTION.openTag(),
            Stage.REASONING.openTag());

    private final boolean includeStages;
    private final boolean stageAware;
    private final List<String> stopSequences;
    private final Consumer<String> thinking;
    private final Consumer<String> response;
    private final StringBuilder decided = new StringBuilder();
    private int thinkingSent;
    private int responseSent;
    private int conclusionStart = -1;
    private boolean stopped;
    /** The model closed its conclusion ({@code </CONCLUSION>}): what it wrote there is the answer, even if empty. */
    private boolean concluded;
    /** Text-only streams: the answer opened with a stage tag, so it follows the staged format. */
    private boolean staged;

    StagedTextStream(boolean includeStages, boolean stageAware, List<String> stopSequences,
                     Consumer<String> thinking, Consumer<String> response) {
        this.includeStages = includeStages;
        this.stageAware = stageAware;
        this.stopSequences = stopSequences == null ? List.of() : stopSequences;
        this.thinking = thinking;
        this.response = response;
    }

    void append(String text) {
        decided.append(text);
        emit(false);
    }

    /** What is appended from now on is the conclusion (stage-aware streams only). */
    void startConclusion() {
        if (stageAware && conclusionStart < 0 && decided.indexOf(OPEN) < 0) {
            conclusionStart = decided.length();
        }
    }

    /**
     * Emits whatever was held back: the answer is complete. The response is never blank while the answer holds visible
     * text (README-LANGCHAIN4J.md, "When the budget ends the answer"): an answer that ended before its conclusion began
     * (a winner that wrote EOS before the CONCLUSION stage, or a staged answer cut short) gets {@code conclusion}, the
     * CONCLUSION the parser repaired from the whole answer ({@code ReasoningResult.conclusion()}); one whose
     * conclusion is still blank and unclosed (the budget ended it right after {@code <CONCLUSION>}, or nothing parses
     * as one) gets the answer so far, trimmed, tags included. Either is cut at the first stop sequence. What was
     * thinking stays thinking; a conclusion the model closed empty stays empty.
     */
    void finish(String conclusion) {
        emit(true);
        if (includeStages || stopped || concluded || responseSent > 0) {
            return;
        }
        String answer = decided.toString();
        String fallback = conclusion != null && conclusionStart(answer, true) < 0 ? conclusion : "";
        if (fallback.isBlank()) {
            fallback = answer.trim();
        }
        int stop = ResponseMapping.firstStop(fallback, stopSequences);
        if (stop >= 0) {
            fallback = fallback.substring(0, stop);
            stopped = true;
        }
        if (!fallback.isEmpty()) {
            responseSent = fallback.length();
            response.accept(fallback);
        }
    }

    /** Whether a stop sequence ended the response. */
    boolean stopped() {
        return stopped;
    }

    private void emit(boolean last) {
        String text = decided.toString();
        String thinkingPart = "";
        String responsePart;
        boolean responseComplete = false;
        if (includeStages) {
            responsePart = text;
        } else {
            int open = conclusionStart(text, last);
            if (open == UNDECIDED) {
                return;
            }
            thinkingPart = open < 0 ? text : text.substring(0, open);
            responsePart = open < 0 ? "" : trimLeading(text.substring(open));
            if (responsePart.startsWith(OPEN)) {
                responsePart = trimLeading(responsePart.substring(OPEN.length()));
            }
            if (open < 0 && !last) {
                thinkingPart = holdBack(thinkingPart, OPEN.length() - 1);
            }
            int close = responsePart.indexOf(CLOSE);
            if (close >= 0) {
                responsePart = responsePart.substring(0, close);
                responseComplete = true;
                concluded = true;
            }
        }
        int stop = ResponseMapping.firstStop(responsePart, stopSequences);
        if (stop >= 0) {
            responsePart = responsePart.substring(0, stop);
            responseComplete = true;
            stopped = true;
        }
        if (!includeStages && !stopped) {
            // the conclusion's trailing white space waits for more text and is dropped at the end, as the parser
            // trims a stage's text; not before a stop sequence, whose text ends exactly where it starts
            responsePart = trimTrailing(responsePart);
        }
        if (!responseComplete && !last) {
            int longest = includeStages ? 0 : CLOSE.length();
            for (String s : stopSequences) {
                longest = Math.max(longest, s.length());
            }
            responsePart = holdBack(responsePart, longest - 1);
        }
        if (thinkingPart.length() > thinkingSent) {
            String delta = thinkingPart.substring(thinkingSent);
            thinkingSent = thinkingPart.length();
            thinking.accept(delta);
        }
        if (responsePart.length() > responseSent) {
            String delta = responsePart.substring(responseSent);
            responseSent = responsePart.length();
            response.accept(delta);
        }
    }

    private static final int UNDECIDED = -2;

    /**
     * Where the conclusion starts in {@code text}: an index, -1 when it has not started (all thinking so far), or
     * {@link #UNDECIDED} while the text is too short to tell whether it follows the staged format.
     */
    private int conclusionStart(String text, boolean last) {
        if (conclusionStart >= 0) {
            return conclusionStart;
        }
        if (!stageAware && !staged) {
            String head = trimLeading(text);
            boolean mayBecomeTag = OPEN.startsWith(head);
            for (String tag : THINKING_TAGS) {
                staged |= head.startsWith(tag);
                mayBecomeTag |= tag.startsWith(head);
            }
            staged |= head.startsWith(OPEN);
            if (!staged) {
                if (mayBecomeTag && !last) {
                    return UNDECIDED;
                }
                // not in the staged format: the whole answer is the response
                conclusionStart = 0;
                return 0;
            }
        }
        return text.indexOf(OPEN);
    }

    /** Like {@link String#trim()} (every character up to U+0020, as the parser trims), at the start only. */
    private static String trimLeading(String text) {
        int start = 0;
        while (start < text.length() && text.charAt(start) <= ' ') {
            start++;
        }
        return text.substring(start);
    }

    private static String trimTrailing(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) <= ' ') {
            end--;
        }
        return text.substring(0, end);
    }

    private static String holdBack(String text, int chars) {
        return chars <= 0 ? text : text.substring(0, Math.max(0, text.length() - chars));
    }
}
