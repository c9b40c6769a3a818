package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llavao1.engine.config.AspectRatio;
import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.generate.ReferenceSampler;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.CheckpointShapes;
import io.github.llavao1.engine.testing.CheckpointShapes.Shape;
import io.github.llavao1.engine.text.PromptMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every code path the fixture does not reach, on random checkpoints of other shapes (issue 14): grouped-query
 * ratios 1-4 and multi-query, head dimensions that are no power of two, odd-multiple widths, 28, 56 and 560 px
 * tiles (image positions below and above the small-batch linear threshold of 32 rows, one to four tiles of padding
 * and real positions for the vision attention's two query sets), cross-attention layers first, middle and last, several intermediate layers, every rope type and
 * both config.json layouts, and every shape again with quantization int8. No reference framework is needed: each
 * case checks properties that must hold for any weights.
 * <ul>
 *   <li>greedy generation runs, from a prompt with an image and from a text-only one;</li>
 *   <li>a prompt read at once gives the same logits as the same prompt read token by token through the KV cache;</li>
 *   <li>a batch of N sampled sequences forked from one prefix (shrinking as they stop) equals N sequences sampled
 *       one at a time on the same random streams, each step re-reading the whole text without a cache.</li>
 * </ul>
 */
class ConfigurationMatrixTest {

    private static final int VOCAB = CheckpointShapes.VOCAB;
    private static final int IMAGE_TOKEN = CheckpointShapes.IMAGE_TOKEN;
    private static final float CACHE_TOLERANCE = 1e-4f;
    /**
     * Reading at once and through the cache hands the quantized maps different rows, and float32 differences of ~1e-6
     * upstream can flip the bfloat16 rounding of an activation (a relative step of 2^-8): measured up to 0.0078 (2^-7)
     * over these shapes (Dec 2026), whose widths 32 and 48 quantize every map but down_proj and the others none
     * (Quantization.Int8 needs K a multiple of 16). A cache position or mask gone wrong moves logits by their own size.
     */
    private static final float INT8_CACHE_TOLERANCE = 0.03f;

    @TempDir
    static Path root;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.llavao1.engine.testing.CheckpointShapes#shapes")
    void everyPathAgrees(Shape shape) {
        Path dir = CheckpointShapes.write(shape, root);
        try (LlavaEngine engine = LlavaEngine.load(dir, EngineOptions.builder().device("cpu").build())) {
            assertEquals(shape.config().withCheckpointDtype(null), engine.config().withCheckpointDtype(null), "config round trip");
            ProcessedImage image = engine.processImage(CheckpointShapes.png(shape.imageWidth(), shape.imageHeight(), 3), "image.png");
            int[] withImage = engine.encodePrompt(List.of(PromptMessage.userWithImages(1, "Describe the picture in detail, please.")));
            int[] textOnly = engine.encodePrompt(List.of(PromptMessage.user("What is seven times six?")));
            try (Session session = engine.newSession(List.of(image))) {
                greedyRuns(session, withImage);
                greedyRuns(session, textOnly);
                cachedReadEqualsWholeRead(session, withImage, shape);
                cachedReadEqualsWholeRead(session, textOnly, shape);
                batchEqualsSingles(session, withImage, shape);
            }
        }
    }

    /**
     * Every shape loads with quantization int8 (issue 23) and generates greedily from a prompt with an image and a
     * text-only one, and reading the prompt through the KV cache gives the logits of reading it at once within
     * {@link #INT8_CACHE_TOLERANCE}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.llavao1.engine.testing.CheckpointShapes#shapes")
    void everyShapeRunsInInt8(Shape shape) {
        Path dir = CheckpointShapes.write(shape, root);
        try (LlavaEngine engine = LlavaEngine.load(dir, EngineOptions.builder().device("cpu").quantization("int8").build())) {
            ProcessedImage image = engine.processImage(CheckpointShapes.png(shape.imageWidth(), shape.imageHeight(), 3), "image.png");
            int[] withImage = engine.encodePrompt(List.of(PromptMessage.userWithImages(1, "Describe the picture in detail, please.")));
            int[] textOnly = engine.encodePrompt(List.of(PromptMessage.user("What is seven times six?")));
            try (Session session = engine.newSession(List.of(image))) {
                greedyRuns(session, withImage);
                greedyRuns(session, textOnly);
                cachedReadEqualsWholeRead(session, withImage, shape, INT8_CACHE_TOLERANCE);
                cachedReadEqualsWholeRead(session, textOnly, shape, INT8_CACHE_TOLERANCE);
            }
        }
    }

    /** Every supported tile grid of one shape, 1 to 4 tiles, through preprocessing, the vision tower and generation. */
    @Test
    void everyAspectRatioOfFourTiles() {
        Shape shape = CheckpointShapes.named("mha-headdim6-tile28-cross-first");
        try (LlavaEngine engine = LlavaEngine.load(CheckpointShapes.write(shape, root), EngineOptions.builder().device("cpu").build())) {
            int[] prompt = engine.encodePrompt(List.of(PromptMessage.userWithImages(1, "What is this?")));
            List<AspectRatio> ratios = shape.vision().supportedAspectRatios();
            for (int id = 1; id <= ratios.size(); id++) {
                AspectRatio ratio = ratios.get(id - 1);
                ProcessedImage image = engine.processImage(CheckpointShapes.png(28 * ratio.cols(), 28 * ratio.rows(), id), "grid.png");
                assertEquals(id, image.aspectRatioId(), ratio + ": aspect ratio id");
                assertEquals(ratio.tiles(), image.numTiles(), ratio + ": tiles");
                try (Session session = engine.newSession(List.of(image))) {
                    GenerationResult result = session.generate(session.prefill(prompt), greedy(4), 1, null).get(0);
                    assertEquals(4, result.tokens().length, ratio + ": tokens");
                    cachedReadEqualsWholeRead(session, prompt, shape);
                }
            }
        }
    }

    private static void greedyRuns(Session session, int[] prompt) {
        GenerationResult result = session.generate(session.prefill(prompt), greedy(6), 1, null).get(0);
        assertEquals(6, result.tokens().length);
        assertEquals(FinishReason.LENGTH, result.finishReason());
    }

    /**
     * The prompt's logits read in one pass against reading it as a prefix (up to and including its last image token)
     * extended one token at a time, each step reading a single token through the KV cache.
     */
    private static void cachedReadEqualsWholeRead(Session session, int[] prompt, Shape shape) {
        cachedReadEqualsWholeRead(session, prompt, shape, CACHE_TOLERANCE);
    }

    private static void cachedReadEqualsWholeRead(Session session, int[] prompt, Shape shape, float tolerance) {
        int vocab = VOCAB;
        float[] whole = session.promptLogits(prompt);
        int head = Math.max(1, lastIndexOf(prompt, IMAGE_TOKEN) + 1);
        Prefix prefix = session.prefill(Arrays.copyOf(prompt, head));
        assertWithin(whole, (head - 1) * vocab, prefix.lastLogits(), tolerance, shape + ": logits after the first " + head + " tokens");
        for (int i = head; i < prompt.length; i++) {
            prefix = session.extend(prefix, new int[] {prompt[i]});
            assertWithin(whole, i * vocab, prefix.lastLogits(), tolerance, shape + ": logits at position " + i + " read through the cache");
        }
    }

    /**
     * Four sampled sequences decoded as one batch, stopping at different times on a stop string, against each
     * sequence sampled alone on the same random stream, with every step re-reading the prompt and the tokens so far.
     */
    private static void batchEqualsSingles(Session session, int[] prompt, Shape shape) {
        GenerationOptions options = GenerationOptions.builder().temperature(1.5).topP(0.95).topK(40).seed(11)
                .maxNewTokens(10).ignoreEos(true).stopStrings(List.of("a", "e", "i", "o")).build();
        List<GenerationResult> batch = session.generate(session.prefill(prompt), options, 4, null);
        ReferenceSampler sampler = ReferenceSampler.of(options.temperature(), options.topP(), options.topK());
        SplittableRandom streams = new SplittableRandom(options.seed());
        for (int row = 0; row < batch.size(); row++) {
            SplittableRandom random = streams.split();
            int[] tokens = batch.get(row).tokens();
            int[] text = Arrays.copyOf(prompt, prompt.length + tokens.length);
            for (int t = 0; t < tokens.length; t++) {
                float[] logits = session.promptLogits(Arrays.copyOf(text, prompt.length + t));
                int expected = sampler.sample(logits, (prompt.length + t - 1) * VOCAB, VOCAB, random);
                assertEquals(expected, tokens[t], shape + ": row " + row + " token " + t + " of the batch "
                        + Arrays.toString(tokens) + " differs from the row sampled alone");
                text[prompt.length + t] = expected;
            }
        }
        assertEquals(4, batch.size());
        // the batch must have shrunk while decoding, or the retained-rows path went untested
        assertTrue(batch.stream().map(r -> r.tokens().length).distinct().count() > 1,
                shape + ": rows should stop at different steps: " + batch);
    }

    private static GenerationOptions greedy(int tokens) {
        return GenerationOptions.builder().temperature(0).maxNewTokens(tokens).ignoreEos(true).build();
    }

    private static void assertWithin(float[] whole, int offset, float[] row, float tolerance, String what) {
        float diff = 0;
        for (int v = 0; v < row.length; v++) {
            diff = Math.max(diff, Math.abs(whole[offset + v] - row[v]));
        }
        assertTrue(diff <= tolerance, what + " differ by " + diff);
    }

    private static int lastIndexOf(int[] ids, int id) {
        for (int i = ids.length - 1; i >= 0; i--) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

}
