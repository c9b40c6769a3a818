package io.github.llavao1.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split of decided text into thinking and response partials, for a model that writes its tags. */
class StagedTextStreamTest {

    private final List<String> thinking = new ArrayList<>();
    private final List<String> response = new ArrayList<>();

    private StagedTextStream stream(boolean includeStages, List<String> stops) {
        return new StagedTextStream(includeStages, stops, thinking::add, response::add);
    }

    @Test
    void tagsSplitThinkingFromTheConclusionEvenWhenTheyArriveInPieces() {
        StagedTextStream s = stream(false, List.of());
        for (String piece : List.of("<SUMMARY>s</SUMMARY>", "<CAPTION>c</CAPTION><REAS", "ONING>r</REASONING>",
                "\n<CONC", "LUSION> Two", " circles.</CONC", "LUSION>")) {
            s.append(piece);
        }
        s.finish("Two circles.");
        assertEquals("<SUMMARY>s</SUMMARY><CAPTION>c</CAPTION><REASONING>r</REASONING>\n", String.join("", thinking));
        assertEquals("Two circles.", String.join("", response));
    }

    @Test
    void stopSequencesEndTheResponseStream() {
        StagedTextStream s = stream(false, List.of("STOP"));
        s.append("<CONCLUSION>Yes. ST");
        s.append("OP and more</CONCLUSION>");
        s.finish("Yes. ");
        assertEquals("Yes. ", String.join("", response));
    }

    @Test
    void includeStagesStreamsEverythingAsResponse() {
        StagedTextStream s = stream(true, List.of());
        s.append("<SUMMARY>s</SUMMARY>");
        s.append("<CONCLUSION>x</CONCLUSION>");
        s.finish("<SUMMARY>s</SUMMARY><CONCLUSION>x</CONCLUSION>");
        assertEquals(List.of(), thinking);
        assertEquals("<SUMMARY>s</SUMMARY><CONCLUSION>x</CONCLUSION>", String.join("", response));
    }

    @Test
    void aConclusionStepWithoutTagsStartsWhereTheCallerSays() {
        StagedTextStream s = stream(false, List.of());
        s.append("untagged summary ");
        s.startConclusion();
        s.append(" the answer");
        s.finish("the answer");
        assertEquals("untagged summary ", String.join("", thinking));
        assertEquals("the answer", String.join("", response));
    }
}
