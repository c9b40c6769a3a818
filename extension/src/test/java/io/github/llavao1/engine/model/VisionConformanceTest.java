package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.SafetensorsFile;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.ReferenceImages;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vision encoder and projector against transformers' tensors, fed the reference pixel values (tolerance 1e-3). */
class VisionConformanceTest {

    private static Checkpoint checkpoint;
    private static MllamaModel model;
    private static SafetensorsFile reference;

    @BeforeAll
    static void load() {
        checkpoint = Checkpoint.open(Fixtures.goldenCheckpoint());
        model = MllamaModel.load(checkpoint, ComputeContext.create("cpu", "float32"), (tensor, bytes) -> { });
        reference = Fixtures.referenceTensors();
    }

    @AfterAll
    static void close() {
        model.close();
        checkpoint.close();
        reference.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"square", "wide", "two_images", "rgba"})
    void visionOutputAndCrossAttentionStatesMatch(String caseName) {
        assertMatches(model, caseName);
    }

    private static void assertMatches(MllamaModel model, String caseName) {
        List<ProcessedImage> images = ReferenceImages.of(reference, caseName);
        float[] expectedVision = reference.readFloats(caseName + ".vision_output");
        float[] expectedStates = reference.readFloats(caseName + ".cross_attention_states");
        int perImageVision = expectedVision.length / images.size();
        int perImageStates = expectedStates.length / images.size();
        for (int i = 0; i < images.size(); i++) {
            try (NDManager step = model.context().manager().newSubManager()) {
                NDArray vision = model.visionOutput(step, images.get(i));
                float[] actualVision = vision.toFloatArray();
                float[] actualStates = model.project(vision).toFloatArray();
                float visionDiff = Fixtures.maxAbsDiff(actualVision,
                        Arrays.copyOfRange(expectedVision, i * perImageVision, (i + 1) * perImageVision));
                float statesDiff = Fixtures.maxAbsDiff(actualStates,
                        Arrays.copyOfRange(expectedStates, i * perImageStates, (i + 1) * perImageStates));
                assertTrue(visionDiff < 1e-3, caseName + " image " + i + ": vision output differs by " + visionDiff);
                assertTrue(statesDiff < 1e-3, caseName + " image " + i + ": cross-attention states differ by " + statesDiff);
            }
        }
    }
}
