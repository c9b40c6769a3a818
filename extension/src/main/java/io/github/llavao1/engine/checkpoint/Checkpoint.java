package io.github.llavao1.engine.checkpoint;

import io.github.llavao1.engine.config.ConfigException;
import io.github.llavao1.engine.config.GenerationConfig;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.PreprocessorConfig;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A validated Mllama checkpoint directory in the HuggingFace layout: {@code config.json}, the weights in
 * {@code model.safetensors} or in shards listed by {@code model.safetensors.index.json}, and optionally
 * {@code preprocessor_config.json}, {@code generation_config.json} and {@code tokenizer.json}. Opening checks
 * everything the model will need (every tensor present, shapes as the config implies, floating-point dtypes)
 * and reports all problems in one {@link CheckpointException}. Tensors are looked up by canonical
 * ({@link WeightNames}) name whichever key layout the files use.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String CONFIG_FILE = "config.json";
    public static final String PREPROCESSOR_FILE = "preprocessor_config.json";
    public static final String GENERATION_FILE = "generation_config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private final Path directory;
    private final MllamaConfig config;
    private final PreprocessorConfig preprocessor;
    private final GenerationConfig generation;
    private final Path tokenizer;
    private final ShardSet shards;

    private Checkpoint(Path directory, MllamaConfig config, PreprocessorConfig preprocessor, GenerationConfig generation,
            Path tokenizer, ShardSet shards) {
        this.directory = directory;
        this.config = config;
        this.preprocessor = preprocessor;
        this.generation = generation;
        this.tokenizer = tokenizer;
        this.shards = shards;
    }

    /** Opens and validates {@code dir}; throws one CheckpointException listing every problem found. */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + ": checkpoint directory not found");
        }
        List<String> problems = new ArrayList<>();
        MllamaConfig config = load(dir.resolve(CONFIG_FILE), true, MllamaConfig::load, problems);
        PreprocessorConfig preprocessor = load(dir.resolve(PREPROCESSOR_FILE), false, PreprocessorConfig::load, problems);
        GenerationConfig generation = load(dir.resolve(GENERATION_FILE), false, GenerationConfig::load, problems);
        Path tokenizer = Files.isRegularFile(dir.resolve(TOKENIZER_FILE)) ? dir.resolve(TOKENIZER_FILE) : null;
        ShardSet shards = ShardSet.open(dir, problems);
        if (config != null) {
            checkWeights(config, shards, problems);
        }
        if (!problems.isEmpty()) {
            shards.close();
            StringBuilder message = new StringBuilder(dir + ": checkpoint is not usable (" + problems.size()
                    + (problems.size() == 1 ? " problem):" : " problems):"));
            problems.forEach(p -> message.append("\n  - ").append(p));
            throw new CheckpointException(message.toString());
        }
        return new Checkpoint(dir, config, preprocessor, generation == null ? GenerationConfig.empty() : generation,
                tokenizer, shards);
    }

    private static <T> T load(Path file, boolean required, Function<Path, T> loader, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            if (required) {
                problems.add(file + ": required file not found");
            }
            return null;
        }
        try {
            return loader.apply(file);
        } catch (ConfigException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Every needed tensor present, with the shape the config implies and a floating-point dtype. */
    private static void checkWeights(MllamaConfig config, ShardSet shards, List<String> problems) {
        int missing = 0;
        for (Map.Entry<String, long[]> expected : WeightNames.expectedShapes(config).entrySet()) {
            TensorInfo tensor = shards.tensors().get(expected.getKey());
            if (tensor == null && shards.unavailable().contains(expected.getKey())) {
                continue; // its shard's problem is already listed
            }
            if (tensor == null) {
                // a wrong config can make hundreds of tensors missing: list a few, count the rest
                if (missing++ < 20) {
                    problems.add("tensor '" + expected.getKey() + "' is missing from the checkpoint");
                }
                continue;
            }
            String where = tensor.file() + ": tensor '" + tensor.name() + "'";
            if (!Arrays.equals(expected.getValue(), tensor.shape())) {
                problems.add(where + " has shape " + tensor.shapeString() + " but " + CONFIG_FILE + " implies "
                        + Arrays.toString(expected.getValue()));
            }
            if (!tensor.dtype().isFloatingPoint()) {
                problems.add(where + " has dtype " + tensor.dtype() + "; weights must be F32, BF16 or F16");
            }
        }
        if (missing > 20) {
            problems.add("... and " + (missing - 20) + " more missing tensors");
        }
    }

    public Path directory() {
        return directory;
    }

    public MllamaConfig config() {
        return config;
    }

    /** The image preprocessor settings, or null when the checkpoint has no preprocessor_config.json. */
    public PreprocessorConfig preprocessor() {
        return preprocessor;
    }

    /** The generation defaults; {@link GenerationConfig#empty()} when the checkpoint has no generation_config.json. */
    public GenerationConfig generation() {
        return generation;
    }

    public Optional<Path> tokenizerFile() {
        return Optional.ofNullable(tokenizer);
    }

    /** All tensors keyed by canonical name; {@link TensorInfo#name()} keeps the key as written in the file. */
    public Map<String, TensorInfo> tensors() {
        return shards.tensors();
    }

    public TensorInfo tensor(String canonicalName) {
        TensorInfo tensor = shards.tensors().get(canonicalName);
        if (tensor == null) {
            throw new CheckpointException(directory + ": checkpoint has no tensor '" + canonicalName + "'");
        }
        return tensor;
    }

    /** The open shard holding {@code tensor}. */
    public SafetensorsFile file(TensorInfo tensor) {
        SafetensorsFile file = shards.file(tensor.file());
        if (file == null) {
            throw new IllegalArgumentException(tensor + " does not belong to checkpoint " + directory);
        }
        return file;
    }

    /** Converts {@code count} elements from element {@code firstElement} to float32 into {@code dst}. */
    public void readFloats(TensorInfo tensor, long firstElement, int count, FloatBuffer dst) {
        file(tensor).readFloats(tensor, firstElement, count, dst);
    }

    /** A whole (small) tensor as float32 on the heap. */
    public float[] readFloats(String canonicalName) {
        TensorInfo tensor = tensor(canonicalName);
        return file(tensor).readFloats(tensor);
    }

    public List<Path> shards() {
        return shards.paths();
    }

    /** Bytes of tensor data in the checkpoint (what loading reads). */
    public long totalBytes() {
        long total = 0;
        for (TensorInfo tensor : shards.tensors().values()) {
            total += tensor.byteLength();
        }
        return total;
    }

    @Override
    public void close() {
        shards.close();
    }
}
