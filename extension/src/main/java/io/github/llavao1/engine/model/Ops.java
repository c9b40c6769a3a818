package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/** The few composite operations DJL's engine lacks, written once. Results live in the first operand's manager. */
final class Ops {

    private Ops() {
    }

    /** {@code x W^T (+ b)}: torch.nn.functional.linear. */
    static NDArray linear(NDArray x, NDArray weight, NDArray biasOrNull) {
        return x.getNDArrayInternal().linear(x, weight, biasOrNull).singletonOrThrow();
    }

    /** torch.nn.functional.layer_norm over the last dimension. */
    static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, float eps) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps).singletonOrThrow();
    }

    /** SiLU as in Llama's MLP: x * sigmoid(x). */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** Exact (erf) GELU, transformers' "gelu". */
    static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /**
     * Runs {@code block} on {@code input} in a child manager and keeps only its result, so a layer's temporaries
     * are freed when the layer ends instead of when the whole forward pass does. The input stays alive.
     */
    static NDArray scoped(NDArray input, UnaryOperator<NDArray> block) {
        NDManager parent = input.getManager();
        try (NDManager scope = parent.newSubManager()) {
            input.tempAttach(scope);
            NDArray output = block.apply(input);
            output.attach(parent);
            return output;
        }
    }
}
