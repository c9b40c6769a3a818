package io.github.llavao1.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.generate.FinishReason;
import io.github.llavao1.engine.generate.GenerationOptions;
import io.github.llavao1.engine.generate.GenerationResult;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.ReferenceImages;
import io.github.llavao1.engine.testing.Tiny;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole engine against transformers on the tiny fixture: prompt logits within 1e-3 given the reference pixel
 * values, and the 24 greedy tokens identical when generated with the KV cache from our own preprocessing.
 */
class EngineConformanceTest {

    private static LlavaEngine engine;
    private static SafetensorsFile reference;

    @BeforeAll
    static void load() {
        engine = Tiny.goldenEngine();
        reference = Fixtures.referenceTensors();
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "square", "wide", "two_images", "rgba"})
    void promptLogitsMatch(String caseName) {
        float diff = ReferenceImages.promptLogitsDiff(engine, reference, caseName);
        assertTrue(diff < 1e-3, caseName + ": prompt logits differ by " + diff);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "square", "wide", "two_images", "rgba"})
    void greedyTokensMatchFromOurOwnPreprocessing(String caseName) {
        JsonNode c = Fixtures.referenceCase(caseName);
        int[] ids = Fixtures.ints(c.get("input_ids"));
        List<ProcessedImage> images = new ArrayList<>();
        for (JsonNode image : c.get("images")) {
            images.add(engine.processImage(Fixtures.goldenCheckpoint().resolve(image.asText())));
        }
        int[] expected = Fixtures.ints(c.get("greedy_new_ids"));
        GenerationOptions greedy = GenerationOptions.builder().temperature(0).maxNewTokens(expected.length).ignoreEos(true).build();
        try (Session session = engine.newSession(images)) {
            GenerationResult result = session.generate(session.prefill(ids), greedy, 1, null).get(0);
            assertArrayEquals(expected, result.tokens(), caseName + ": greedy tokens");
            assertEquals(FinishReason.LENGTH, result.finishReason());
            assertEquals(engine.tokenizer().decode(expected, true), result.text());
        }
    }
}
