package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.reasoning.AnswerParser;
import io.github.llavao1.reasoning.Stage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split of decided text into thinking and response partials. */
class StagedTextStreamTest {

    private final List<String> thinking = new ArrayList<>();
    private final List<String> response = new ArrayList<>();

    private StagedTextStream stream(boolean includeStages, boolean stageAware, List<String> stops) {
        return new StagedTextStream(includeStages, stageAware, stops, thinking::add, response::add);
    }

    @Test
    void tagsSplitThinkingFromTheConclusionEvenWhenTheyArriveInPieces() {
        StagedTextStream s = stream(false, false, List.of());
        for (String piece : List.of("<SUMMARY>s</SUMMARY>", "<CAPTION>c</CAPTION><REAS", "ONING>r</REASONING>",
                "\n<CONC", "LUSION> Two", " circles.</CONC", "LUSION>")) {
            s.append(piece);
        }
        s.finish(null);
        assertEquals("<SUMMARY>s</SUMMARY><CAPTION>c</CAPTION><REASONING>r</REASONING>\n", String.join("", thinking));
        assertEquals("Two circles.", String.join("", response));
        assertFalse(s.stopped(), "the closing tag ended it, not a stop sequence");
    }

    @Test
    void stopSequencesEndTheResponseStream() {
        StagedTextStream s = stream(false, false, List.of("STOP"));
        s.append("<CONCLUSION>Yes. ST");
        s.append("OP and more</CONCLUSION>");
        s.finish(null);
        assertEquals("Yes. ", String.join("", response));
        assertTrue(s.stopped());
    }

    @Test
    void includeStagesStreamsEverythingAsResponse() {
        StagedTextStream s = stream(true, true, List.of());
        s.append("<SUMMARY>s</SUMMARY>");
        s.startConclusion();
        s.append("<CONCLUSION>x</CONCLUSION>");
        s.finish(null);
        assertEquals(List.of(), thinking);
        assertEquals("<SUMMARY>s</SUMMARY><CONCLUSION>x</CONCLUSION>", String.join("", response));
    }

    @Test
    void aConclusionStepWithoutTagsStartsWhereTheCallerSays() {
        StagedTextStream s = stream(false, true, List.of());
        s.append("untagged summary ");
        s.startConclusion();
        s.append(" the answer");
        s.finish(null);
        assertEquals("untagged summary ", String.join("", thinking));
        assertEquals("the answer", String.join("", response));
    }

    @Test
    void withoutStagesAnAnswerThatIgnoresTheFormatIsAllResponse() {
        StagedTextStream s = stream(false, false, List.of());
        s.append("  <");
        assertEquals(List.of(), response, "'<' may still open a stage tag");
        s.append("b> two <CONCLUSION>x");
        s.finish(null);
        assertEquals(List.of(), thinking);
        assertEquals("<b> two <CONCLUSION>x", String.join("", response), "decided once, at the start");
    }

    @Test
    void anAnswerThatEndsBeforeItsConclusionAnswersWithTheRepairedConclusion() {
        // stage-level search whose CAPTION winner wrote EOS: no CONCLUSION step, no tags
        StagedTextStream s = stream(false, true, List.of());
        s.append("untagged summary ");
        s.append("caption");
        s.finish("untagged summary caption");
        assertEquals("untagged summary caption", String.join("", thinking), "what was thinking stays thinking");
        assertEquals("untagged summary caption", String.join("", response));
        assertFalse(s.stopped());
    }

    @Test
    void theRepairedConclusionIsCutAtTheFirstStopSequence() {
        StagedTextStream s = stream(false, false, List.of("STOP"));
        s.append("<SUMMARY>s</SUMMARY><REASONING>r then STOP here");
        s.finish(AnswerParser.parse("<SUMMARY>s</SUMMARY><REASONING>r then STOP here").text(Stage.CONCLUSION));
        assertEquals("<SUMMARY>s</SUMMARY><REASONING>r then STOP here", String.join("", thinking));
        assertEquals("r then ", String.join("", response));
        assertTrue(s.stopped());
    }

    @Test
    void aConclusionThatBeganIsNotReplaced() {
        StagedTextStream s = stream(false, true, List.of());
        s.append("<SUMMARY>s</SUMMARY>");
        s.startConclusion();
        s.append("<CONCLUSION></CONCLUSION>");
        s.finish("something else");
        assertEquals(List.of(), response, "the model wrote an empty conclusion: that is the answer");
    }

    @Test
    void aConclusionCutBeforeItsFirstVisibleWordAnswersWithTheAnswerSoFar() {
        // maxOutputTokens left the CONCLUSION step one token: its tag
        StagedTextStream s = stream(false, true, List.of());
        s.append("<SUMMARY> s</SUMMARY><CAPTION> c");
        s.startConclusion();
        s.append("<CONCLUSION>");
        s.finish("");
        assertEquals("<SUMMARY> s</SUMMARY><CAPTION> c", String.join("", thinking));
        assertEquals("<SUMMARY> s</SUMMARY><CAPTION> c<CONCLUSION>", String.join("", response));
    }

    @Test
    void aBlankRepairedConclusionGivesTheAnswerSoFarCutAtTheFirstStop() {
        StagedTextStream s = stream(false, true, List.of("STOP"));
        s.append(" <SUMMARY> one STOP two ");
        s.finish(" ");
        assertEquals("<SUMMARY> one ", String.join("", response));
        assertTrue(s.stopped());
    }

    @Test
    void anAnswerWithoutVisibleTextStaysBlank() {
        StagedTextStream s = stream(false, true, List.of());
        s.append(" \n ");
        s.finish("");
        assertEquals(List.of(), response);
    }

    /** Whatever the piece boundaries, the partials concatenate to the split of the whole text. */
    @Test
    void everySplitPointGivesTheSameConcatenation() {
        List<String> answers = List.of(
                "<SUMMARY>s</SUMMARY>\n<CAPTION>c</CAPTION><CONCLUSION> It is red.</CONCLUSION> trailing",
                " plain words, no tags</CONCLUSION> after",
                "<CONCLUSION>Hello World and more");
        for (boolean stageAware : new boolean[] {false, true}) {
            for (String answer : answers) {
                String[] whole = split(answer, answer.length(), stageAware);
                for (int cut = 0; cut <= answer.length(); cut++) {
                    String[] pieces = split(answer, cut, stageAware);
                    assertEquals(whole[0], pieces[0], "thinking of " + answer + " cut at " + cut);
                    assertEquals(whole[1], pieces[1], "response of " + answer + " cut at " + cut);
                }
            }
        }
    }

    private String[] split(String answer, int cut, boolean stageAware) {
        thinking.clear();
        response.clear();
        StagedTextStream s = stream(false, stageAware, List.of("World"));
        s.append(answer.substring(0, cut));
        s.append(answer.substring(cut));
        s.finish(null);
        return new String[] {String.join("", thinking), String.join("", response)};
    }
}
