package io.github.llavao1.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.checkpoint.RandomCheckpoint;
import io.github.llavao1.engine.checkpoint.TensorDType;
import io.github.llavao1.engine.config.AspectRatio;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.RopeScaling;
import io.github.llavao1.engine.config.TextConfig;
import io.github.llavao1.engine.config.VisionConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Random checkpoints of other shapes than the fixture's, for tests of paths the fixture never takes: grouped-query
 * ratios 1-4 and multi-query, head dimensions that are no power of two, odd-multiple widths, 28, 56 and 560 px
 * tiles, cross-attention layers first, middle and last, several intermediate layers, every rope type and both
 * config.json layouts. They share the tiny fixture's tokenizer.
 */
public final class CheckpointShapes {

    /** The tiny fixture's tokenizer: 431 tokens, then {@code <|image|>} = 431. */
    public static final Path TOKENIZER = Fixtures.tinyCheckpoint().resolve("tokenizer.json");
    public static final int VOCAB = 431;
    public static final int IMAGE_TOKEN = 431;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointShapes() {
    }

    /** One shape of the matrix; {@code layout5} writes config.json in the transformers 5 layout. */
    public record Shape(String name, TextConfig text, VisionConfig vision, boolean layout5, int imageWidth, int imageHeight) {
        @Override
        public String toString() {
            return name;
        }

        public MllamaConfig config() {
            return new MllamaConfig(text, vision, IMAGE_TOKEN, "float32");
        }
    }

    public static Stream<Shape> shapes() {
        return Stream.of(
                // the shape of the reported failure: GQA ratio 3, rope without scaling, 28 px tiles (20 image positions)
                new Shape("gqa3-tile28-default-rope", text(48, 6, 2, 4, List.of(1), RopeScaling.plain(10_000)),
                        vision(24, 2, 28, 1, List.of(0), 3, 1), false, 40, 40),
                new Shape("mha-headdim6-tile28-cross-first", text(24, 4, 4, 3, List.of(0), RopeScaling.plain(500_000)),
                        vision(24, 3, 28, 4, List.of(0, 1, 2), 3, 1), true, 90, 30),
                new Shape("gqa2-headdim10-tile56-cross-middle", text(40, 4, 2, 5, List.of(2), llama3()),
                        vision(40, 2, 56, 4, List.of(1, 2), 4, 2), false, 100, 150),
                new Shape("gqa4-odd-widths-cross-last", text(72, 12, 3, 4, List.of(3), linear(2.0)),
                        vision(36, 3, 28, 3, List.of(0, 1), 2, 1), true, 84, 28),
                new Shape("mqa-headdim14-tile560-two-tiles", text(56, 4, 1, 3, List.of(0, 2), dynamic(4.0)),
                        vision(16, 2, 560, 2, List.of(0), 2, 1), false, 1100, 500),
                // a vision tower with neither a global encoder nor intermediate states (both are optional in the config)
                new Shape("gqa2-no-global-no-intermediate", text(32, 4, 2, 3, List.of(1), RopeScaling.plain(10_000)),
                        vision(24, 2, 28, 2, List.of(), 2, 0), true, 60, 30));
    }

    private static TextConfig text(int hidden, int heads, int kvHeads, int layers, List<Integer> cross, RopeScaling rope) {
        return new TextConfig(VOCAB, hidden, 2 * hidden + 6, layers, heads, kvHeads, cross, 1e-5, 2048, rope, 420,
                List.of(421, 428, 429), 424, false);
    }

    private static VisionConfig vision(int hidden, int heads, int tile, int maxTiles, List<Integer> intermediate,
            int layers, int globalLayers) {
        List<AspectRatio> ratios = new ArrayList<>();
        for (int rows = 1; rows <= maxTiles; rows++) {
            for (int cols = 1; rows * cols <= maxTiles; cols++) {
                ratios.add(new AspectRatio(rows, cols));
            }
        }
        return new VisionConfig(hidden, 2 * hidden + 2, layers, globalLayers, heads, tile, 14, 3, maxTiles, intermediate,
                ratios, hidden * (1 + intermediate.size()), 1e-5);
    }

    private static RopeScaling llama3() {
        return new RopeScaling(RopeScaling.LLAMA3, 500_000, 8, 1, 4, 8192);
    }

    private static RopeScaling linear(double factor) {
        return new RopeScaling(RopeScaling.LINEAR, 10_000, factor, 1, 1, 0);
    }

    private static RopeScaling dynamic(double factor) {
        return new RopeScaling(RopeScaling.DYNAMIC, 10_000, factor, 1, 1, 0);
    }

    /** The shape called {@code name}. */
    public static Shape named(String name) {
        return shapes().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Writes {@code shape} as a float32 checkpoint under {@code root} (once) and returns its folder. */
    public static Path write(Shape shape, Path root) {
        Path dir = root.resolve(shape.name());
        if (Files.exists(dir.resolve("config.json"))) {
            return dir;
        }
        RandomCheckpoint.write(shape.config(), dir, TensorDType.F32, 14, Long.MAX_VALUE, TOKENIZER, line -> { });
        if (shape.layout5()) {
            rewriteAsTransformers5(dir.resolve("config.json"));
        }
        return dir;
    }

    /** transformers 5 writes {@code dtype} and {@code rope_parameters} (rope_theta inside) instead of the 4.45 keys. */
    private static void rewriteAsTransformers5(Path file) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
            root.set("dtype", root.remove("torch_dtype"));
            ObjectNode text = (ObjectNode) root.get("text_config");
            ObjectNode rope = text.has("rope_scaling") ? (ObjectNode) text.remove("rope_scaling") : text.objectNode();
            if (!rope.has("rope_type")) {
                rope.put("rope_type", "default");
            }
            rope.set("rope_theta", text.remove("rope_theta"));
            text.set("rope_parameters", rope);
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG of random colours in smooth bands, so resizing has something to interpolate. */
    public static byte[] png(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        int base = random.nextInt(1 << 24);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (base + x * 0x010203 + y * 0x030201 + random.nextInt(32)) & 0xFFFFFF);
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
