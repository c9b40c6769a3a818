package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One entry of the text decoder's weights as TextDecoder.py receives it (a {@code List[Tensor]}): a tensor in the
 * compute dtype, or a quantized linear map whose values and scales travel together (STYLE.md 14).
 */
sealed interface Weight permits Weight.Dense, Weight.Int8 {

    /** The entry's tensors in the script's order. */
    List<NDArray> tensors();

    /** A tensor in the compute dtype; the script's {@code [weight]}. */
    record Dense(NDArray tensor) implements Weight {
        @Override
        public List<NDArray> tensors() {
            return List.of(tensor);
        }
    }

    /**
     * A linear map's weight quantized per output channel ({@link Int8Quantizer}); the script's {@code [values, scales]}.
     *
     * @param values int8 [N, K]
     * @param scales float32 [N], each a bfloat16 value
     */
    record Int8(NDArray values, NDArray scales) implements Weight {
        @Override
        public List<NDArray> tensors() {
            return List.of(values, scales);
        }
    }
}
