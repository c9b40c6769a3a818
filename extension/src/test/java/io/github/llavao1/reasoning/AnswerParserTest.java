package io.github.llavao1.reasoning;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Stage extraction with the reference's regex, and the repair of missing or unclosed tags. */
class AnswerParserTest {

    @Test
    void completeSectionsAreFoundNonGreedilyAcrossLines() {
        AnswerParser.Parsed parsed = AnswerParser.parse("<SUMMARY> plan\nsteps </SUMMARY>\n<CAPTION>a</CAPTION>"
                + "<REASONING>r</REASONING><CONCLUSION>B</CONCLUSION><CONCLUSION>C</CONCLUSION>");
        assertEquals("plan\nsteps", parsed.text(Stage.SUMMARY));
        assertEquals("a", parsed.text(Stage.CAPTION));
        assertEquals("r", parsed.text(Stage.REASONING));
        assertEquals("B", parsed.text(Stage.CONCLUSION), "first match, like re.search");
        assertEquals(List.of(), parsed.repaired());
    }

    @Test
    void anUnclosedTagIsClosedAtTheNextTagOrTheEnd() {
        AnswerParser.Parsed parsed = AnswerParser.parse("<SUMMARY>plan<CAPTION>apples</CAPTION><CONCLUSION>B");
        assertEquals("plan", parsed.text(Stage.SUMMARY));
        assertEquals("B", parsed.text(Stage.CONCLUSION));
        assertEquals("", parsed.text(Stage.REASONING));
        assertEquals(List.of(Stage.SUMMARY, Stage.REASONING, Stage.CONCLUSION), parsed.repaired());
    }

    @Test
    void aClosingTagWithoutOpeningTakesTheTextSinceThePreviousTag() {
        AnswerParser.Parsed parsed = AnswerParser.parse("<SUMMARY>s</SUMMARY> apples </CAPTION>");
        assertEquals("apples", parsed.text(Stage.CAPTION));
    }

    @Test
    void anUntaggedAnswerIsTheConclusion() {
        AnswerParser.Parsed parsed = AnswerParser.parse(" It is B. ");
        assertEquals("It is B.", parsed.text(Stage.CONCLUSION));
        assertEquals("", parsed.text(Stage.SUMMARY));
        assertEquals(List.of(Stage.values()), parsed.repaired());
        assertEquals("so B", AnswerParser.parse("<REASONING>r</REASONING> so B").text(Stage.CONCLUSION));
    }

    @Test
    void sectionClosedAfterIgnoresSectionsClosedEarlier() {
        String text = "<CAPTION>old</CAPTION><CAPTION>new</CAPTION>";
        assertEquals("new", AnswerParser.sectionClosedAfter(text, Stage.CAPTION, "<CAPTION>old</CAPTION>".length()));
        assertEquals("old", AnswerParser.sectionClosedAfter(text, Stage.CAPTION, 0));
        assertNull(AnswerParser.sectionClosedAfter(text, Stage.CAPTION, text.length()));
    }
}
