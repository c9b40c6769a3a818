package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import io.github.llavao1.engine.checkpoint.WeightNames;

/**
 * Weights of MllamaTextMLP (SwiGLU: down(silu(gate(x)) * up(x))), gate and up fused into one projection [2·F, D].
 * TextDecoder.py's mlp applies them.
 */
record TextMlp(NDArray gateUpProj, NDArray downProj) {

    static TextMlp load(WeightLoader loader, int layer) {
        NDArray gateUp = loader.loadFused(null, WeightNames.mlpGateProj(layer), WeightNames.mlpUpProj(layer));
        return new TextMlp(gateUp, loader.load(WeightNames.mlpDownProj(layer)));
    }
}
