package io.github.llavao1.reasoning;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a generated answer into its four stage texts, repairing what the model did not write.
 *
 * <p>A complete section is found like the reference finds it: the first match of a non-greedy, dot-matches-newline
 * {@code <STAGE>(.*?)</STAGE>}. When a stage has no complete section the text is repaired rather than dropped, so
 * the result keeps its structure even for a model that ignores the format:
 * <ul>
 *   <li>an opening tag that is never closed: the text from it up to the next stage tag (or the end), as if closed
 *       there;</li>
 *   <li>a closing tag without its opening tag: the text from the previous stage tag (or the start) up to it;</li>
 *   <li>no tag at all: empty, except CONCLUSION, which takes the text after the last stage tag, or the whole answer
 *       when it has no tags, so that an untagged answer still has a final answer;</li>
 *   <li>an answer without any tag that stage-level search wrote in four steps: each stage is its step's winner text
 *       ({@link #parse(String, Map)}).</li>
 * </ul>
 * Stage texts are trimmed. Judges see untrimmed sections, as in the reference.
 */
public final class AnswerParser {

    private static final Pattern ANY_TAG = Pattern.compile("</?(?:SUMMARY|CAPTION|REASONING|CONCLUSION)>");
    private static final Map<Stage, Pattern> SECTIONS = new EnumMap<>(Stage.class);

    static {
        for (Stage stage : Stage.values()) {
            SECTIONS.put(stage, Pattern.compile(
                    Pattern.quote(stage.openTag()) + "(.*?)" + Pattern.quote(stage.closeTag()), Pattern.DOTALL));
        }
    }

    /** The four stage texts of an answer and which of them had to be repaired. */
    public record Parsed(Map<Stage, String> texts, List<Stage> repaired) {

        public String text(Stage stage) {
            return texts.get(stage);
        }
    }

    private AnswerParser() {
    }

    public static Parsed parse(String answer) {
        return parse(answer, Map.of());
    }

    /**
     * Like {@link #parse(String)}, for an answer that stage-level search wrote stage by stage: when the answer
     * holds none of the four stages' tags but every stage had its own step, each stage's text is what its step's
     * winner wrote. The structure then follows the search instead of collapsing into the conclusion.
     *
     * @param stepTexts each stage's winning candidate text, for the stages the search ran
     */
    public static Parsed parse(String answer, Map<Stage, String> stepTexts) {
        boolean stageByStage = stepTexts.size() == Stage.values().length && !ANY_TAG.matcher(answer).find();
        Map<Stage, String> texts = new EnumMap<>(Stage.class);
        List<Stage> repaired = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            String complete = firstSection(answer, stage);
            if (complete != null) {
                texts.put(stage, complete.trim());
            } else {
                texts.put(stage, (stageByStage ? stepTexts.get(stage) : repair(answer, stage)).trim());
                repaired.add(stage);
            }
        }
        return new Parsed(texts, List.copyOf(repaired));
    }

    /** The inner text of the first complete {@code stage} section, or {@code null}. */
    static String firstSection(String text, Stage stage) {
        Matcher matcher = SECTIONS.get(stage).matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * The inner text of the first complete {@code stage} section that ends at or after {@code from}, i.e. whose
     * closing tag was written after that offset; {@code null} if there is none. Lets a candidate's section be
     * found in the answer so far plus the candidate, so that a section the previous winner opened counts.
     */
    static String sectionClosedAfter(String text, Stage stage, int from) {
        Matcher matcher = SECTIONS.get(stage).matcher(text);
        while (matcher.find()) {
            if (matcher.end() > from) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static String repair(String answer, Stage stage) {
        int open = answer.indexOf(stage.openTag());
        if (open >= 0) {
            int start = open + stage.openTag().length();
            Matcher next = ANY_TAG.matcher(answer);
            return answer.substring(start, next.find(start) ? next.start() : answer.length());
        }
        int close = answer.indexOf(stage.closeTag());
        if (close >= 0) {
            return answer.substring(endOfLastTagBefore(answer, close), close);
        }
        return stage == Stage.CONCLUSION ? answer.substring(endOfLastTagBefore(answer, answer.length())) : "";
    }

    private static int endOfLastTagBefore(String answer, int limit) {
        Matcher tag = ANY_TAG.matcher(answer);
        int end = 0;
        while (tag.find() && tag.end() <= limit) {
            end = tag.end();
        }
        return end;
    }
}
