package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.ConstructedCheckpoint;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import io.github.llavao1.engine.text.PromptMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The constructed checkpoint does what FIXTURES.md says, on the real engine: the staged answer to any question (with
 * or without images), the judge's verdict, the pre-check's "correct", and sampled answers that vary only at the
 * branch points. Every other test that needs a kind of text relies on these facts.
 */
class ConstructedCheckpointTest {

    private static LlavaEngine engine;
    private static ProcessedImage square;

    @BeforeAll
    static void load() {
        engine = Tiny.constructedEngine();
        square = engine.processImage(Fixtures.constructedCheckpoint().resolve("square.png"));
    }

    private static GenerationResult answer(List<ProcessedImage> images, String question, GenerationOptions options) {
        try (Session session = engine.newSession(images)) {
            int[] prompt = engine.encodePrompt(List.of(PromptMessage.userWithImages(images.size(), question)));
            return session.generate(session.prefill(prompt), options, 1, null).get(0);
        }
    }

    private static GenerationOptions greedy() {
        return GenerationOptions.builder().temperature(0).maxNewTokens(64).build();
    }

    @Test
    void greedilyItWritesTheFourStagesAndEndsItsTurn() {
        for (List<ProcessedImage> images : List.of(List.of(square), List.<ProcessedImage>of())) {
            GenerationResult result = answer(images, "How many shapes are there?", greedy());
            assertEquals(ConstructedCheckpoint.GREEDY_ANSWER, result.text(), images.size() + " images");
            assertEquals(FinishReason.EOS, result.finishReason());
            assertEquals(ConstructedCheckpoint.ANSWER_TOKENS + 1, result.tokens().length, "the script and end of turn");
        }
    }

    /**
     * The construction's promise, measured: at every position of the greedy answer (read back as a prompt) the written
     * token leads every other by a logit margin of at least 25, except at the three branch points, where its twin
     * trails by about 0.08 and everything else by at least 25. Float32 rounding moves a logit by about 1e-5.
     */
    @Test
    void everyTokenOfTheAnswerLeadsByAWideMargin() {
        int[] prompt = engine.encodePrompt(List.of(PromptMessage.userWithImages(1, "How many shapes are there?")));
        int[] answer = answer(List.of(square), "How many shapes are there?", greedy()).tokens();
        int[] ids = Arrays.copyOf(prompt, prompt.length + answer.length - 1);
        System.arraycopy(answer, 0, ids, prompt.length, answer.length - 1);
        float[] logits;
        try (Session session = engine.newSession(List.of(square))) {
            logits = session.promptLogits(ids);
        }
        int vocab = logits.length / ids.length;
        int branches = 0;
        for (int i = 0; i < answer.length; i++) {
            int position = prompt.length - 1 + i;
            float written = logits[position * vocab + answer[i]];
            float first = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < vocab; t++) {
                float l = logits[position * vocab + t];
                if (t != answer[i] && l > first) {
                    second = first;
                    first = l;
                } else if (t != answer[i] && l > second) {
                    second = l;
                }
            }
            float margin = written - first;
            if (margin < 1) {
                // a branch point: the twin trails a little, everything else far
                branches++;
                assertTrue(margin > 0.04 && margin < 0.2, "branch margin " + margin + " at answer token " + i);
                assertTrue(written - second >= 25, "third token at answer token " + i + ": " + (written - second));
            } else {
                assertTrue(margin >= 25, "margin " + margin + " at answer token " + i);
            }
        }
        assertEquals(3, branches, "the answer's three branch points");
    }

    @Test
    void aQuestionAskedBrieflyEndsItsTurnAfterTheCaption() {
        GenerationResult result = answer(List.of(square), "Answer briefly: how many shapes?", greedy());
        assertEquals(ConstructedCheckpoint.GREEDY_BRIEF_ANSWER, result.text());
        assertEquals(FinishReason.EOS, result.finishReason());
    }

    @Test
    void aJudgePromptGetsAVerdictAndThePrecheckPromptGetsCorrect() {
        String judge = "Now you act as a judge.\n\nQuestion: How many?\nRepsonse 1: three\nRepsonse 2: four\n\nOutput format: "
                + "\"Since [reason], I choose response [1/2].\"";
        assertEquals(ConstructedCheckpoint.GREEDY_JUDGE, answer(List.of(square), judge, greedy()).text());
        String precheck = "If the reasoning process invovles any calculations, verify them.\n\nGiven Information: shapes"
                + "\n\nReasoning Process: three";
        assertEquals(ConstructedCheckpoint.GREEDY_PRECHECK, answer(List.of(), precheck, greedy()).text());
    }

    @Test
    void sampledAnswersDifferOnlyAtTheBranchPoints() {
        Set<String> answers = new HashSet<>();
        List<String> verdicts = new ArrayList<>();
        for (long seed = 0; seed < 8; seed++) {
            GenerationOptions sampled = GenerationOptions.builder().temperature(0.6).topP(0.9).seed(seed).maxNewTokens(64)
                    .build();
            String text = answer(List.of(square), "What do you see?", sampled).text();
            assertTrue(text.matches("<SUMMARY> We will describe the image first\\.</SUMMARY>"
                    + "<CAPTION> It shows (red|blue) shapes on white\\.</CAPTION>"
                    + "<REASONING> Counting them gives (three|four) in all\\.</REASONING>"
                    + "<CONCLUSION> The picture holds (exactly|roughly) a few coloured figures, so count each one\\."
                    + "</CONCLUSION>"), text);
            answers.add(text);
            verdicts.add(answer(List.of(), "Repsonse 1: a\nRepsonse 2: b", sampled).text());
        }
        // 8 seeds × 3 near-even branch points: all eight alike would have a chance of 2 × 0.5^24
        assertTrue(answers.size() > 1, "sampled answers vary with the seed: " + answers);
        assertTrue(verdicts.stream().allMatch(v -> v.matches("Since both are clear, I choose response [12]\\.")), verdicts.toString());
    }
}
