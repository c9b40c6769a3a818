package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.image.ProcessedImage;
import io.github.llavao1.engine.testing.CheckpointShapes;
import io.github.llavao1.engine.testing.Fixtures;
import io.github.llavao1.engine.testing.Tiny;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disagreement at a block boundary names the block and both shapes. */
class BlockShapesTest {

    @TempDir
    Path root;

    @Test
    void theMessageNamesTheBlockTheTensorAndBothShapes() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BlockShapes.expect("TextCrossAttention", "keys", new Shape(20, 32), 20, BlockShapes.ANY, 16));
        assertTrue(e.getMessage().equals("TextCrossAttention: keys has shape (20, 32), expected (20, ?, 16)"), e.getMessage());
        BlockShapes.expect("TextCrossAttention", "keys", new Shape(20, 7, 16), 20, BlockShapes.ANY, 16);
    }

    @Test
    void modelBoundariesRefuseMismatchedInputsBeforeLibtorchSeesThem() {
        ProcessedImage forTheFixture = Tiny.engine().processImage(Fixtures.tinyCheckpoint().resolve("square.png"));
        Path other = CheckpointShapes.write(CheckpointShapes.named("gqa3-tile28-default-rope"), root);
        try (Checkpoint checkpoint = Checkpoint.open(other);
                MllamaModel model = MllamaModel.load(checkpoint, new ComputeContext(
                        Engine.getEngine("PyTorch").newBaseManager(Device.cpu()), Device.cpu(), DataType.FLOAT32), (t, b) -> { });
                NDManager step = model.context().manager().newSubManager();
                KvCache cache = model.newCache(1, 8)) {
            IllegalStateException pixels = assertThrows(IllegalStateException.class, () -> model.visionOutput(step, forTheFixture));
            assertTrue(pixels.getMessage().contains("MllamaVisionModel: pixel values hold 37632 floats, expected"), pixels.getMessage());
            IllegalStateException ids = assertThrows(IllegalStateException.class,
                    () -> model.forward(step, model.tokenIds(step, new int[][] {{1, 2, 3}, {4, 5, 6}}), cache, null, false));
            assertTrue(ids.getMessage().contains("MllamaTextModel: token ids (against the KV cache's batch) has shape (2, 3), expected (1, ?)"),
                    ids.getMessage());
        }
    }
}
