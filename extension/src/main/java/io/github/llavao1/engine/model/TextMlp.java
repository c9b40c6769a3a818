package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.github.llavao1.engine.checkpoint.WeightNames;

/** Ports MllamaTextMLP (SwiGLU): down(silu(gate(x)) * up(x)), with gate and up fused into one projection. */
record TextMlp(NDArray gateUpProj, NDArray downProj, int intermediateSize) {

    static TextMlp load(WeightLoader loader, int layer, int intermediateSize) {
        NDArray gateUp = loader.loadFused(null, WeightNames.mlpGateProj(layer), WeightNames.mlpUpProj(layer));
        return new TextMlp(gateUp, loader.load(WeightNames.mlpDownProj(layer)), intermediateSize);
    }

    /** [B, T, D] → [B, T, D] */
    NDArray forward(NDArray x) {
        NDArray gateUp = Ops.linear(x, gateUpProj, null);
        NDArray gate = gateUp.get(new NDIndex("..., :{}", intermediateSize));
        NDArray up = gateUp.get(new NDIndex("..., {}:", intermediateSize));
        return Ops.linear(Ops.silu(gate).mul(up), downProj, null);
    }
}
