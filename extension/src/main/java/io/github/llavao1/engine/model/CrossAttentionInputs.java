package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The image side of one or more forward passes: the request's precomputed cross-attention keys and values and the
 * passes' masks (ports prepare_cross_attention_mask). Lives as long as the manager its masks were created in.
 */
final class CrossAttentionInputs {

    private final CrossAttentionStates states;
    private final NDArray mask;
    private final NDArray rowMask;
    private IValue scriptValue;

    /**
     * @param states per cross-attention layer K/V, computed once per request
     * @param mask additive [1, B|1, 1, T, S]: 0 where a token may attend an image position, the mask value elsewhere;
     *     a row with no attended position is all 0, as transformers leaves it
     * @param rowMask [B|1, T, 1]: 0 for tokens that attend no image (their cross-attention MLP output is dropped)
     */
    CrossAttentionInputs(CrossAttentionStates states, NDArray mask, NDArray rowMask) {
        this.states = states;
        this.mask = mask;
        this.rowMask = rowMask;
    }

    CrossAttentionStates states() {
        return states;
    }

    NDArray mask() {
        return mask;
    }

    NDArray rowMask() {
        return rowMask;
    }

    /** [mask, rowMask, k₀, v₀, k₁, v₁, …] as one TorchScript list, built once and freed with the masks' manager. */
    IValue scriptValue() {
        if (scriptValue == null) {
            List<NDArray> all = new ArrayList<>(List.of(mask, rowMask));
            all.addAll(states.keysAndValues());
            scriptValue = IValue.listFrom(all.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
            NDManager owner = mask.getManager();
            owner.attachInternal(scriptValue.getUid(), scriptValue);
        }
        return scriptValue;
    }
}
