package io.github.llavao1.engine.generate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two stop rules on multi-character tokens: contained anywhere (StopOnStrings) and ends-with (StopOnPeriod). */
class StopCheckTest {

    private static boolean afterToken(StopCheck check, String before, String token) {
        StringBuilder text = new StringBuilder(before).append(token);
        return check.reached(text, before.length());
    }

    @Test
    void aSuffixStopsOnlyWhenTheTextEndsWithIt() {
        StopCheck period = new StopCheck(List.of(), List.of("."));
        assertTrue(afterToken(period, "The sky is blue", "."));
        assertTrue(afterToken(period, "It costs 3", " dollars."));
        // tokens that carry the period and more: the reference's decoded.endswith('.') is false
        assertFalse(afterToken(period, "The sky is blue", ".\n\n"));
        assertFalse(afterToken(period, "He said \"stop", ".\""));
        assertFalse(afterToken(period, "For example, e", ".g"));
        assertFalse(afterToken(period, "", ""));
    }

    @Test
    void aStopStringStopsWhereverItAppearsInTheNewText() {
        StopCheck period = new StopCheck(List.of("."), List.of());
        assertTrue(afterToken(period, "The sky is blue", ".\n\n"));
        assertTrue(afterToken(period, "For example, e", ".g"));
        // split across tokens: the string's start lies in the earlier text
        StopCheck tag = new StopCheck(List.of("</CONCLUSION>"), List.of());
        assertTrue(afterToken(tag, "<CONCLUSION>B</CONCL", "USION> more"));
        assertFalse(afterToken(tag, "<CONCLUSION>B</CONCL", "UDE"));
    }

    @Test
    void optionsCarryBothRules() {
        GenerationOptions options = GenerationOptions.builder().stopStrings(List.of("</CONCLUSION>"))
                .stopSuffixes(List.of(".")).build();
        StopCheck check = StopCheck.of(options);
        assertTrue(afterToken(check, "A", "."));
        assertFalse(afterToken(check, "A", ".\n"));
        assertTrue(afterToken(check, "A", "</CONCLUSION>\n"));
    }
}
