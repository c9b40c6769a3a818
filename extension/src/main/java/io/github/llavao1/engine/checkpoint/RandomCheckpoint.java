package io.github.llavao1.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llavao1.engine.config.GenerationConfig;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.PreprocessorConfig;
import io.github.llavao1.engine.config.TextConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Writes a complete checkpoint directory with deterministic pseudo-random weights for any {@link MllamaConfig}:
 * tiny ones for tests, full-size ones for benchmarks without downloading 40 GB. Values are a hash of (seed,
 * tensor name, element index), so they are produced chunk by chunk at disk speed and never need a whole tensor
 * on the heap. Linear weights are uniform in ±1/√fan_in (torch's default init), norm scales 1, norm shifts 0,
 * gates 0.5 (so tanh(gate) lets every gated branch through), embeddings and biases uniform in ±0.02.
 */
public final class RandomCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float SMALL = 0.02f;
    private static final float GATE = 0.5f;

    private RandomCheckpoint() {
    }

    /**
     * Writes config.json (4.45 layout), preprocessor_config.json (CLIP mean/std, tile size = vision image size),
     * generation_config.json and every tensor of {@link WeightNames#expectedTensors} in {@code dtype}: as
     * {@code model.safetensors} when it fits in one shard of {@code shardBytes}, otherwise as shards plus
     * {@code model.safetensors.index.json}. Weights already in {@code dir} are replaced.
     *
     * @param tokenizerJsonOrNull copied to {@code dir/tokenizer.json} when given
     * @param progress receives one line per file written
     */
    public static void write(MllamaConfig config, Path dir, TensorDType dtype, long seed, long shardBytes,
            Path tokenizerJsonOrNull, Consumer<String> progress) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("weights can be F32, F16 or BF16, not " + dtype);
        }
        if (shardBytes <= 0) {
            throw new IllegalArgumentException("shardBytes must be positive, got " + shardBytes);
        }
        try {
            Files.createDirectories(dir);
            removeOldWeights(dir);
            writeJson(dir.resolve(Checkpoint.CONFIG_FILE), config.withCheckpointDtype(torchName(dtype)).toJson());
            writeJson(dir.resolve(Checkpoint.PREPROCESSOR_FILE),
                    PreprocessorConfig.clip(config.vision().imageSize(), config.vision().maxNumTiles()).toJson());
            writeJson(dir.resolve(Checkpoint.GENERATION_FILE), generationConfig(config.text()).toJson());
            if (tokenizerJsonOrNull != null) {
                Files.copy(tokenizerJsonOrNull, dir.resolve(Checkpoint.TOKENIZER_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
            progress.accept("wrote " + dir.resolve(Checkpoint.CONFIG_FILE) + " and the other JSON files");
            writeWeights(WeightNames.expectedTensors(config), dir, dtype, seed, shardBytes, progress);
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot write random checkpoint: " + e.getMessage(), e);
        }
    }

    private static void writeWeights(List<WeightSpec> specs, Path dir, TensorDType dtype, long seed, long shardBytes,
            Consumer<String> progress) throws IOException {
        List<List<WeightSpec>> shards = packShards(specs, dtype, shardBytes);
        if (shards.size() == 1) {
            writeShard(shards.get(0), dir.resolve(ShardSet.SINGLE_FILE), dtype, seed, progress);
            return;
        }
        ObjectNode index = JSON.createObjectNode();
        ObjectNode weightMap = JSON.createObjectNode();
        long totalBytes = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
            totalBytes += writeShard(shards.get(i), dir.resolve(name), dtype, seed, progress);
            for (WeightSpec spec : shards.get(i)) {
                weightMap.put(spec.name(), name);
            }
        }
        index.putObject("metadata").put("total_size", totalBytes);
        index.set("weight_map", weightMap);
        writeJson(dir.resolve(ShardSet.INDEX_FILE), index);
        progress.accept("wrote " + dir.resolve(ShardSet.INDEX_FILE) + ": " + specs.size() + " tensors, "
                + size(totalBytes) + " in " + shards.size() + " shards");
    }

    /** Consecutive tensors fill a shard up to {@code shardBytes}; a tensor larger than that gets a shard of its own. */
    private static List<List<WeightSpec>> packShards(List<WeightSpec> specs, TensorDType dtype, long shardBytes) {
        List<List<WeightSpec>> shards = new ArrayList<>();
        List<WeightSpec> current = new ArrayList<>();
        long currentBytes = 0;
        for (WeightSpec spec : specs) {
            long bytes = spec.elementCount() * dtype.bytes();
            if (!current.isEmpty() && currentBytes + bytes > shardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(spec);
            currentBytes += bytes;
        }
        shards.add(current);
        return shards;
    }

    private static long writeShard(List<WeightSpec> specs, Path file, TensorDType dtype, long seed, Consumer<String> progress) {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (WeightSpec spec : specs) {
            writer.add(spec.name(), dtype, spec.shape(), values(spec, seed));
        }
        writer.write(file);
        progress.accept("wrote " + file + ": " + specs.size() + " tensors, " + size(writer.dataBytes()));
        return writer.dataBytes();
    }

    /** The values of one tensor as a function of element index, so any chunking yields the same tensor. */
    static SafetensorsWriter.FloatSource values(WeightSpec spec, long seed) {
        return switch (spec.kind()) {
            case NORM_WEIGHT -> constant(1f);
            case NORM_BIAS -> constant(0f);
            case GATE -> constant(GATE);
            case EMBEDDING, BIAS -> uniform(streamKey(seed, spec.name()), SMALL);
            case LINEAR -> uniform(streamKey(seed, spec.name()), (float) (1 / Math.sqrt(spec.fanIn())));
        };
    }

    private static SafetensorsWriter.FloatSource constant(float value) {
        return (first, chunk, count) -> Arrays.fill(chunk, 0, count, value);
    }

    private static SafetensorsWriter.FloatSource uniform(long key, float bound) {
        return (first, chunk, count) -> {
            for (int i = 0; i < count; i++) {
                // 24 random bits give every float step in [-1, 1) with equal probability
                long bits = mix(key + (first + i) * 0x9E3779B97F4A7C15L) >>> 40;
                chunk[i] = ((bits * 0x1p-23f) - 1f) * bound;
            }
        };
    }

    private static long streamKey(long seed, String name) {
        return mix(seed ^ mix(name.hashCode()));
    }

    /** SplitMix64's finaliser: a cheap bijective 64-bit hash (Steele, Lea, Flood 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static GenerationConfig generationConfig(TextConfig text) {
        return new GenerationConfig(text.bosTokenId(), text.eosTokenIds(), text.padTokenId() >= 0 ? text.padTokenId() : null,
                null, null, null);
    }

    private static String torchName(TensorDType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> throw new IllegalArgumentException("not a weight dtype: " + dtype);
        };
    }

    /** A leftover model.safetensors would shadow a new index (it is looked for first), and stale shards mislead. */
    private static void removeOldWeights(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(ShardSet.SINGLE_FILE));
        Files.deleteIfExists(dir.resolve(ShardSet.INDEX_FILE));
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, "model-*-of-*.safetensors")) {
            for (Path shard : shards) {
                Files.delete(shard);
            }
        }
    }

    private static void writeJson(Path file, Object tree) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), tree);
    }

    private static String size(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
