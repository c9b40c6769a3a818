package io.github.llavao1.engine;

import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.CheckpointException;
import io.github.llavao1.engine.checkpoint.TensorInfo;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.model.ComputeDevice;
import io.github.llavao1.engine.model.LoadedModel;
import io.github.llavao1.engine.text.LlamaTokenizer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a {@link LlavaEngine}: opens and checks the checkpoint, the tokenizer and the device, runs the memory check and
 * copies the weights with progress. What the engine does once loaded (lifecycle, admission, requests) is its own.
 */
final class EngineLoader {

    /** The engine's logger: its load lines have always been the engine's. */
    private static final Logger LOG = LoggerFactory.getLogger(LlavaEngine.class);

    private EngineLoader() {
    }

    /** See {@link LlavaEngine#load(Path, EngineOptions, Consumer)}; {@code availableMemory} is what the memory check reads. */
    static LlavaEngine load(Path checkpointDir, EngineOptions options, Consumer<LoadProgress> progress,
                            Supplier<OptionalLong> availableMemory) {
        ComputeDevice.prepareNatives(options.device());
        Checkpoint checkpoint = Checkpoint.open(checkpointDir);
        try {
            Path tokenizerFile = checkpoint.tokenizerFile().orElseThrow(() -> new CheckpointException(
                    checkpointDir.resolve("tokenizer.json") + ": tokenizer.json is missing from the checkpoint"));
            if (checkpoint.preprocessor() == null) {
                throw new CheckpointException(checkpointDir.resolve("preprocessor_config.json")
                        + ": preprocessor_config.json is missing from the checkpoint");
            }
            LlamaTokenizer tokenizer = LlamaTokenizer.load(tokenizerFile);
            ComputeDevice device = ComputeDevice.open(options.device(), options.dtype(), options.quantization());
            LOG.info("Loading {} ({} GB in {} shard(s)) onto {} as {}, quantization {}", checkpointDir,
                    String.format("%.2f", checkpoint.totalBytes() / 1e9), checkpoint.shards().size(), device.device(), device.dtype(),
                    device.quantization());
            Consumer<LoadProgress> sink = progress != null ? progress : new LoggingProgress();
            ProgressTracker tracker = new ProgressTracker(checkpoint, sink);
            LoadedModel model;
            try {
                checkMemory(checkpoint, device, options, availableMemory);
                model = LoadedModel.load(checkpoint, device, tracker::tensorLoaded);
            } catch (RuntimeException e) {
                tokenizer.close();
                throw e;
            }
            LOG.info("Loaded {} in {} s", checkpointDir, String.format("%.1f", tracker.elapsedSeconds()));
            return new LlavaEngine(checkpoint, model, tokenizer, options);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    /**
     * Unless {@link EngineOptions#checkMemory()} is off: the weights fit in the CPU memory available
     * ({@link MemoryCheck}); otherwise the device is freed and loading stops.
     */
    private static void checkMemory(Checkpoint checkpoint, ComputeDevice device, EngineOptions options,
                                    Supplier<OptionalLong> availableMemory) {
        if (!options.checkMemory()) {
            return;
        }
        try {
            MemoryCheck.check(checkpoint.directory(), checkpoint.config(), device, availableMemory, MemoryCheck.ENGINE_SETTING);
        } catch (InsufficientMemoryException e) {
            device.close();
            throw e;
        }
    }

    /** Turns per-tensor callbacks into shard-aware progress. */
    private static final class ProgressTracker {
        private final Map<Path, Long> remainingPerShard = new HashMap<>();
        private final int shards;
        private final long total;
        private final Consumer<LoadProgress> sink;
        private final long start = System.nanoTime();
        private int shardsDone;

        ProgressTracker(Checkpoint checkpoint, Consumer<LoadProgress> sink) {
            long bytes = 0;
            for (String name : WeightNames.expectedShapes(checkpoint.config()).keySet()) {
                TensorInfo tensor = checkpoint.tensor(name);
                remainingPerShard.merge(tensor.file(), tensor.byteLength(), Long::sum);
                bytes += tensor.byteLength();
            }
            this.shards = remainingPerShard.size();
            this.total = bytes;
            this.sink = sink;
        }

        void tensorLoaded(TensorInfo tensor, long bytes) {
            long left = remainingPerShard.merge(tensor.file(), -tensor.byteLength(), Long::sum);
            if (left == 0) {
                shardsDone++;
            }
            sink.accept(new LoadProgress(shardsDone, shards, Math.min(bytes, total), total, elapsedSeconds()));
        }

        double elapsedSeconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Logs progress at most every two seconds, when a shard completes and at the end. */
    private static final class LoggingProgress implements Consumer<LoadProgress> {
        private long lastLog;
        private int lastShardsDone;

        @Override
        public void accept(LoadProgress p) {
            long now = System.nanoTime();
            if (p.shardsDone() != lastShardsDone || now - lastLog > 2_000_000_000L) {
                LOG.info("Loading weights: {}", p);
                lastLog = now;
                lastShardsDone = p.shardsDone();
            }
        }
    }
}
