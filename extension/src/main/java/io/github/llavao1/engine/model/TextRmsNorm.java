package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * The weight of a MllamaTextRMSNorm (x / sqrt(mean(x²) + eps) in float32, cast back, times the weight), which
 * TextDecoder.py applies with torch.rms_norm.
 */
record TextRmsNorm(NDArray weight) {

    static TextRmsNorm load(WeightLoader loader, String name) {
        return new TextRmsNorm(loader.load(name));
    }
}
