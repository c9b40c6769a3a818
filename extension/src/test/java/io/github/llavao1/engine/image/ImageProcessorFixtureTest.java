package io.github.llavao1.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code process(decode(png))} against transformers' {@code MllamaImageProcessor} output stored in
 * reference.safetensors, for every image of every image case.
 */
class ImageProcessorFixtureTest {

    private static SafetensorsFile reference;
    private static ImageProcessor processor;

    @BeforeAll
    static void open() throws IOException {
        reference = Fixtures.referenceTensors();
        processor = tinyProcessor();
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    /** The processor with the tiny checkpoint's settings, read from its config.json and preprocessor_config.json. */
    static ImageProcessor tinyProcessor() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(Fixtures.tinyCheckpoint().resolve("config.json").toFile());
        JsonNode preprocessor = json.readTree(Fixtures.tinyCheckpoint().resolve("preprocessor_config.json").toFile());
        List<int[]> ratios = new ArrayList<>();
        for (JsonNode ratio : config.get("vision_config").get("supported_aspect_ratios")) {
            ratios.add(Fixtures.ints(ratio));
        }
        return new ImageProcessor(preprocessor.get("size").get("height").asInt(),
                preprocessor.get("max_image_tiles").asInt(), ratios, floats(preprocessor.get("image_mean")),
                floats(preprocessor.get("image_std")), preprocessor.get("rescale_factor").asDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"square", "wide", "two_images", "rgba"})
    void matchesTransformersPixelValuesIdsAndMasks(String caseName) {
        JsonNode images = Fixtures.referenceCase(caseName).get("images");
        float[] expectedPixels = reference.readFloats(caseName + ".slow.pixel_values");
        long[] expectedIds = reference.readLongs(caseName + ".slow.aspect_ratio_ids");
        long[] expectedMask = reference.readLongs(caseName + ".slow.aspect_ratio_mask");
        int[] expectedTiles = Fixtures.ints(Fixtures.referenceCase(caseName).get("slow.num_tiles"));
        assertEquals(images.size(), expectedIds.length);

        ImageDecoder decoder = new ImageDecoder();
        for (int i = 0; i < images.size(); i++) {
            String file = images.get(i).asText();
            ProcessedImage processed = processor.process(decoder.decode(Fixtures.tinyCheckpoint().resolve(file)));

            int perImage = processed.pixelValues().length;
            float[] expected = Arrays.copyOfRange(expectedPixels, i * perImage, (i + 1) * perImage);
            float maxDiff = Fixtures.maxAbsDiff(expected, processed.pixelValues());
            System.out.printf("%s/%s: max |diff| %g%n", caseName, file, maxDiff);
            assertTrue(maxDiff <= 1e-2f, caseName + "/" + file + " pixel values differ by " + maxDiff);
            assertEquals(0f, maxDiff, caseName + "/" + file + " should reproduce the reference bit-exactly");

            assertEquals(expectedTiles[i], processed.numTiles(), file + " num_tiles");
            assertEquals(expectedIds[i], processed.aspectRatioId(), file + " aspect_ratio_id");
            long[] mask = Arrays.copyOfRange(expectedMask, i * 4, (i + 1) * 4);
            assertArrayEquals(mask, Arrays.stream(processed.aspectRatioMask()).asLongStream().toArray(),
                    file + " aspect_ratio_mask");
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
