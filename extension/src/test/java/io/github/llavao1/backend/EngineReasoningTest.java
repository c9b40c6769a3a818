package io.github.llavao1.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.EngineOptions;
import io.github.llavao1.engine.LlavaEngine;
import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.text.LlamaTokenizer;
import io.github.llavao1.engine.text.PromptMessage;
import io.github.llavao1.reasoning.ReasoningPort;
import io.github.llavao1.reasoning.Sampling;
import io.github.llavao1.reasoning.Stage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/** The engine's side of the reasoning port: prompts, the response's stops, argument checks, stop reasons. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineReasoningTest {

    private final LlavaEngine engine =
            LlavaEngine.load(Fixtures.tinyCheckpoint(), EngineOptions.builder().device("cpu").build());
    private final ProcessedImage image = engine.processImage(Fixtures.tinyCheckpoint().resolve("square.png"));

    @AfterAll
    void closeEngine() {
        engine.close();
    }

    private static void assertRejected(String expectedMessagePart, Executable call) {
        Exception e = assertThrows(RuntimeException.class, call);
        assertTrue(String.valueOf(e.getMessage()).contains(expectedMessagePart), e.getMessage());
    }

    /** The doubled BOS is the engine's option, decided once; the search's prompts are rendered with it. */
    @Test
    void theQuestionPromptIsTheEnginesRenderingWithItsDoubledBos() {
        assertTrue(EngineOptions.defaults().doubleBos(), "two BOS by default, as the checkpoint was trained");
        int bos = engine.tokenizer().tokenId(LlamaTokenizer.BEGIN_OF_TEXT);
        EngineReasoning request = EngineReasoning.question(engine, "How many?", List.of(image));
        int[] prompt = engine.encodePrompt(List.of(PromptMessage.userWithImages(1, "How many?")));
        assertEquals(prompt.length, request.promptTokens());
        try (ReasoningPort port = request.open(false)) {
            assertArrayEquals(prompt, port.questionPrompt());
            assertEquals("How many?", port.question());
        }
        assertArrayEquals(new int[] {bos, bos}, java.util.Arrays.copyOf(prompt, 2));

        try (LlavaEngine single = LlavaEngine.load(Fixtures.tinyCheckpoint(),
                EngineOptions.builder().device("cpu").doubleBos(false).build());
             ReasoningPort port = EngineReasoning.question(single, "How many?", List.of()).open(false)) {
            int[] once = port.questionPrompt();
            assertEquals(bos, once[0]);
            assertNotEquals(bos, once[1]);
        }
    }

    @Test
    void aConversationIsRenderedWhole() {
        List<PromptMessage> messages = List.of(PromptMessage.userWithImages(1, "What is it?"),
                PromptMessage.assistant("A square."), PromptMessage.user("Which colour?"));
        EngineReasoning request = EngineReasoning.conversation(engine, messages, "Which colour?", List.of(image));
        assertTrue(request.promptTokens()
                > EngineReasoning.question(engine, "Which colour?", List.of(image)).promptTokens(), "earlier turns kept");
        try (ReasoningPort port = request.open(false)) {
            assertArrayEquals(engine.encodePrompt(messages), port.questionPrompt());
            assertEquals("Which colour?", port.question());
        }
    }

    /** Candidate calls that may write the response (the conclusion, a whole answer, a sentence) stop at its stops. */
    @Test
    void theResponsesStopsEndTheCandidateCallsThatMayWriteIt() {
        EngineReasoning plain = EngineReasoning.question(engine, "q", List.of());
        assertEquals(List.of("</CONCLUSION>"), plain.candidateStops(Stage.CONCLUSION, List.of("</CONCLUSION>")));

        EngineReasoning conclusion = plain.stoppingResponseAt(List.of("STOP"), false);
        assertEquals(List.of("</SUMMARY>"), conclusion.candidateStops(Stage.SUMMARY, List.of("</SUMMARY>")));
        assertEquals(List.of("</CONCLUSION>", "STOP"),
                conclusion.candidateStops(Stage.CONCLUSION, List.of("</CONCLUSION>")));
        assertEquals(List.of("STOP"), conclusion.candidateStops(null, List.of()));

        EngineReasoning staged = plain.stoppingResponseAt(List.of("STOP"), true);
        assertEquals(List.of("</SUMMARY>", "STOP"), staged.candidateStops(Stage.SUMMARY, List.of("</SUMMARY>")));
    }

    @Test
    void missingOrEmptyArgumentsAreRejected() {
        assertRejected("question", () -> EngineReasoning.question(engine, null, List.of()));
        assertRejected("images", () -> EngineReasoning.question(engine, "q", null));
        Sampling sampling = new Sampling(0.6, 0.9, 50, 1, List.of(), List.of(), 0);
        try (ReasoningPort port = EngineReasoning.question(engine, "q", List.of()).open(false)) {
            assertRejected("prefix", () -> port.sampleCandidates(null, new int[0], 1, sampling, null));
            assertRejected("n must be at least 1", () -> port.sampleCandidates(null, new int[] {1}, 0, sampling, null));
        }
    }

    @Test
    void everyEngineFinishReasonHasTheSearchsStopReason() {
        for (FinishReason reason : FinishReason.values()) {
            assertEquals(reason.name(), EngineReasoning.stopReason(reason).name());
        }
    }
}
