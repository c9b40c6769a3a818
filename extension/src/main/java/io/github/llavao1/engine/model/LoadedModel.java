package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.llavao1.engine.checkpoint.Checkpoint;
import io.github.llavao1.engine.checkpoint.TensorInfo;
import io.github.llavao1.engine.config.MllamaConfig;
import io.github.llavao1.engine.image.ProcessedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * The model as the rest of the engine uses it: an Mllama checkpoint loaded onto a {@link ComputeDevice}, driven with
 * token ids, masks and logits as Java arrays and request state behind opaque handles ({@link CrossAttentionStatesHandle},
 * {@link KvCacheHandle}, {@link DecodeBatch}). The package's {@link MllamaModel} does the work; no DJL type leaves
 * this class. Thread-safe like the model; each handle is used by one thread at a time.
 */
public final class LoadedModel implements AutoCloseable {

    /**
     * One image through the vision model and the multi-modal projector, in float32.
     *
     * @param visionOutput [maxTiles, numPatches, visionOutputDim]
     * @param projected [maxTiles, numPatches, D]: the projector's output, transformers' cross_attention_states
     */
    public record VisionOutput(float[] visionOutput, float[] projected) {
    }

    private final MllamaModel model;
    private final ComputeDevice device;

    private LoadedModel(MllamaModel model, ComputeDevice device) {
        this.model = model;
        this.device = device;
    }

    /**
     * Loads every weight of {@code checkpoint} onto {@code device} in its dtype. The model owns the device's memory
     * from here on: closing the model frees it, and so does a failed load.
     *
     * @param progress receives each tensor as it lands and the running byte count
     */
    public static LoadedModel load(Checkpoint checkpoint, ComputeDevice device, ObjLongConsumer<TensorInfo> progress) {
        try {
            return new LoadedModel(MllamaModel.load(checkpoint, device.context(), progress), device);
        } catch (RuntimeException e) {
            device.context().manager().close();
            throw e;
        }
    }

    public MllamaConfig config() {
        return model.config();
    }

    public ComputeDevice device() {
        return device;
    }

    /**
     * Diagnostic: native arrays alive in the model's memory, weights plus every image state, cache and decode batch
     * not yet closed.
     */
    public int liveNativeArrays() {
        return model.context().manager().getManagedArrays().size();
    }

    /** Encodes images once for a request (see {@link MllamaModel#encodeImages}); the caller closes the result. */
    public CrossAttentionStatesHandle encodeImages(List<ProcessedImage> images) {
        return new CrossAttentionStatesHandle(model.encodeImages(images));
    }

    /** Images encoded on their own as one request's states (see {@link MllamaModel#concatImages}); a new copy. */
    public CrossAttentionStatesHandle concatImages(List<CrossAttentionStatesHandle> parts) {
        List<CrossAttentionStates> states = new ArrayList<>(parts.size());
        for (CrossAttentionStatesHandle part : parts) {
            states.add(part.states());
        }
        return new CrossAttentionStatesHandle(model.concatImages(states));
    }

    /** The vision model's and the projector's output for one image (for comparing them with a reference). */
    public VisionOutput visionOutput(ProcessedImage image) {
        try (NDManager step = model.context().manager().newSubManager()) {
            NDArray vision = model.visionOutput(step, image);
            float[] projected = model.project(vision).toType(DataType.FLOAT32, false).toFloatArray();
            return new VisionOutput(vision.toType(DataType.FLOAT32, false).toFloatArray(), projected);
        }
    }

    /** An empty cache for one sequence with room for {@code capacity} positions (it grows past them if needed). */
    public KvCacheHandle newCache(int capacity) {
        return new KvCacheHandle(model.newCache(1, capacity));
    }

    /**
     * Reads {@code tokens} into {@code cache}, which advances by their count.
     *
     * @param states the request's images, or null for a text-only pass
     * @param tileMask the tokens' dense cross-attention mask [tokens, images, maxTiles] (1 = the token attends that
     *     tile, see {@link MllamaModel#crossInputs}), or null for a text-only pass
     * @param allPositions float32 logits of every token [T × vocab] instead of only the last [vocab]
     */
    public float[] read(KvCacheHandle cache, int[] tokens, CrossAttentionStatesHandle states, long[] tileMask, boolean allPositions) {
        return model.read(cache.cache(), tokens, states == null ? null : states.states(), tileMask, allPositions);
    }

    /**
     * {@code copies} sequences forked from {@code prompt} (not modified) that decode in lockstep, with room for
     * {@code extra} more positions.
     *
     * @param states the request's images, or null for text-only decoding
     * @param decodeTileMask the prompt's last cross-attention mask row (what every generated token attends), or null
     */
    public DecodeBatch decodeBatch(KvCacheHandle prompt, int copies, int extra, CrossAttentionStatesHandle states, long[] decodeTileMask) {
        return new DecodeBatch(model, prompt.cache(), copies, extra, states == null ? null : states.states(), decodeTileMask);
    }

    /** Calls from Java into libtorch made by text-decoder passes so far (see {@link MllamaModel#scriptNativeCalls}). */
    public long scriptNativeCalls() {
        return model.scriptNativeCalls();
    }

    /** Frees the weights and everything created on the device since. */
    @Override
    public void close() {
        model.close();
    }
}
