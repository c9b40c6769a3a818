package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.TensorInfo;
import io.github.llavao1.engine.checkpoint.WeightNames;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.config.VisionConfig;
import io.github.llavao1.engine.image.ProcessedImage;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * Ports MllamaForConditionalGeneration: the vision model, the multi-modal projector and the text model, with weights
 * on one device in one dtype. Immutable after loading and safe to share between threads; per-request state (KV
 * caches, the image's cross-attention K/V) lives in {@link KvCache} and {@link CrossAttentionStates}. The rest of the
 * engine reaches it through {@link LoadedModel}.
 */
final class MllamaModel implements AutoCloseable {

    private final MllamaConfig config;
    private final ComputeContext context;
    private final VisionModel visionModel;
    private final NDArray projectorWeight;
    private final NDArray projectorBias;
    private final TextModel languageModel;

    private MllamaModel(MllamaConfig config, ComputeContext context, WeightLoader loader) {
        this.config = config;
        this.context = context;
        this.visionModel = new VisionModel(config.vision(), context, loader);
        this.projectorWeight = loader.load(WeightNames.multiModalProjectorWeight());
        this.projectorBias = loader.load(WeightNames.multiModalProjectorBias());
        this.languageModel = new TextModel(config.text(), context, loader);
    }

    /**
     * Loads every weight of {@code checkpoint} onto the context's device in its dtype.
     *
     * @param progress receives each tensor as it lands and the running byte count (the engine turns these into
     *     {@link io.github.llavao1.engine.LoadProgress} reports)
     */
    public static MllamaModel load(Checkpoint checkpoint, ComputeContext context, ObjLongConsumer<TensorInfo> progress) {
        WeightLoader loader = new WeightLoader(checkpoint, context, progress);
        return new MllamaModel(checkpoint.config(), context, loader);
    }

    public MllamaConfig config() {
        return config;
    }

    public ComputeContext context() {
        return context;
    }

    /** One image through the vision model: [maxTiles, numPatches, visionOutputDim]. */
    public NDArray visionOutput(NDManager step, ProcessedImage image) {
        VisionConfig vision = config.vision();
        long pixels = (long) vision.maxNumTiles() * vision.numChannels() * vision.imageSize() * vision.imageSize();
        if (image.pixelValues().length != pixels) {
            throw new IllegalStateException("MllamaVisionModel: pixel values hold " + image.pixelValues().length
                    + " floats, expected maxTiles x channels x tile x tile = " + vision.maxNumTiles() + " x "
                    + vision.numChannels() + " x " + vision.imageSize() + " x " + vision.imageSize() + " = " + pixels
                    + " (was the image processed for another checkpoint?)");
        }
        NDArray output = visionModel.forward(step, image.pixelValues(), image.aspectRatioId(), image.numTiles());
        BlockShapes.expect("MllamaVisionModel", "output", output.getShape(), vision.maxNumTiles(), vision.numPatches(),
                vision.visionOutputDim());
        return output;
    }

    /** Vision output through the multi-modal projector: [..., visionOutputDim] → [..., D]. */
    public NDArray project(NDArray visionOutput) {
        Shape shape = visionOutput.getShape();
        BlockShapes.expect("multi_modal_projector", "input", shape.slice(shape.dimension() - 1), config.vision().visionOutputDim());
        return visionOutput.getNDArrayInternal().linear(visionOutput, projectorWeight, projectorBias).singletonOrThrow();
    }

    /**
     * Encodes the request's images once: vision model, projector, then every cross-attention layer's keys and
     * values over all images' positions (image-major, then tile, then patch, as transformers flattens them).
     */
    public CrossAttentionStates encodeImages(List<ProcessedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("encodeImages needs at least one image");
        }
        try (NDManager step = context.manager().newSubManager()) {
            NDList projected = new NDList();
            for (ProcessedImage image : images) {
                projected.add(project(visionOutput(step, image)));
            }
            NDArray states = NDArrays.concat(projected, 0).reshape(new Shape(1, -1, config.text().hiddenSize()));
            return languageModel.projectImage(states);
        }
    }

    /**
     * Several images' states, each encoded on its own (e.g. taken from a cache), as one request's states: the
     * same as {@link #encodeImages} of all the images together, since every step after the vision tower is per
     * position. The result owns a copy; the parts stay alive.
     */
    public CrossAttentionStates concatImages(List<CrossAttentionStates> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concatImages needs at least one image's states");
        }
        return CrossAttentionStates.concat(context.manager(), parts);
    }

    /**
     * Ports prepare_cross_attention_mask for {@code tokens} rows: {@code tileMask} is the processor's dense
     * cross-attention mask [tokens, images, maxTiles] (1 = the token attends that tile); each tile flag covers the
     * tile's patches. Rows that attend nothing get an all-zero additive row and a 0 row mask, as in transformers.
     */
    public CrossAttentionInputs crossInputs(NDManager step, CrossAttentionStates states, long[] tileMask, int tokens) {
        int maxTiles = config.vision().maxNumTiles();
        int patches = config.vision().numPatches();
        int positions = states.imagePositions();
        int tilesTotal = positions / patches;
        if (tileMask.length != (long) tokens * tilesTotal) {
            throw new IllegalArgumentException("cross-attention mask has " + tileMask.length + " entries, expected "
                    + tokens + " tokens × " + tilesTotal / maxTiles + " images × " + maxTiles + " tiles");
        }
        float min = context.maskValue();
        float[] additive = new float[tokens * positions];
        float[] rows = new float[tokens];
        for (int t = 0; t < tokens; t++) {
            boolean any = false;
            for (int tile = 0; tile < tilesTotal; tile++) {
                any |= tileMask[t * tilesTotal + tile] != 0;
            }
            rows[t] = any ? 1f : 0f;
            if (!any) {
                continue;
            }
            for (int tile = 0; tile < tilesTotal; tile++) {
                if (tileMask[t * tilesTotal + tile] == 0) {
                    java.util.Arrays.fill(additive, t * positions + tile * patches, t * positions + (tile + 1) * patches, min);
                }
            }
        }
        NDArray mask = step.create(java.nio.FloatBuffer.wrap(additive), new Shape(1, 1, 1, tokens, positions))
                .toType(context.dtype(), false);
        NDArray rowMask = step.create(java.nio.FloatBuffer.wrap(rows), new Shape(1, tokens, 1)).toType(context.dtype(), false);
        return new CrossAttentionInputs(states, mask, rowMask);
    }

    /** Token ids [rows, width] as an int64 array on the device (every row the same width). */
    public NDArray tokenIds(NDManager step, int[][] rows) {
        int width = rows[0].length;
        long[] flat = new long[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < width; c++) {
                flat[r * width + c] = rows[r][c];
            }
        }
        return step.create(flat, new Shape(rows.length, width));
    }

    /** A self-attention cache for {@code batch} sequences with room for {@code capacity} positions. */
    public KvCache newCache(int batch, int capacity) {
        return languageModel.newCache(batch, capacity);
    }

    /**
     * Runs new tokens through the decoder in one TorchScript call (see {@link TextModel#forward}); float32 logits
     * [B, T or 1, vocab].
     */
    public NDArray forward(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross, boolean allPositions) {
        BlockShapes.expect("MllamaTextModel", "token ids (against the KV cache's batch)", ids.getShape(), cache.batch(),
                BlockShapes.ANY);
        return languageModel.forward(step, ids, cache, cross, allPositions);
    }

    /**
     * One greedy decode step: [B, T] ids → each row's most likely next token after the last position. The argmax
     * runs on the device and only the ids come back.
     */
    public long[] greedy(NDManager step, NDArray ids, KvCache cache, CrossAttentionInputs cross) {
        return languageModel.greedy(step, ids, cache, cross);
    }

    TextModel languageModel() {
        return languageModel;
    }

    /**
     * Calls from Java into libtorch made by text-decoder passes so far: argument lists, the call, the result, and for
     * {@link DecodeBatch} steps every array created and freed in the step and the download of the ids.
     */
    public long scriptNativeCalls() {
        return languageModel.scriptNativeCalls();
    }

    void addNativeCalls(long calls) {
        languageModel.script().nativeCalls().add(calls);
    }

    /**
     * Reads {@code tokens} (one sequence) into {@code cache}, which advances by their count.
     *
     * @param states the request's image states, or null for a text-only pass
     * @param tileMask the tokens' dense cross-attention mask (see {@link #crossInputs}), or null for a text-only pass
     * @param allPositions float32 logits of every token [T × vocab] instead of only the last [vocab]
     */
    public float[] read(KvCache cache, int[] tokens, CrossAttentionStates states, long[] tileMask, boolean allPositions) {
        try (NDManager step = context.manager().newSubManager()) {
            NDArray ids = tokenIds(step, new int[][] {tokens});
            CrossAttentionInputs cross = tileMask == null ? null : crossInputs(step, states, tileMask, tokens.length);
            return forward(step, ids, cache, cross, allPositions).toFloatArray();
        }
    }

    @Override
    public void close() {
        context.manager().close();
    }
}
