package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * The image side of one forward pass: the request's precomputed cross-attention keys and values and this pass's
 * masks (ports prepare_cross_attention_mask).
 *
 * @param states per cross-attention layer K/V, computed once per request
 * @param mask additive [1, B|1, 1, T, S]: 0 where a token may attend an image position, the mask value elsewhere; a
 *     row with no attended position is all 0, as transformers leaves it
 * @param rowMask [B|1, T, 1]: 0 for tokens that attend no image (their cross-attention MLP output is dropped)
 */
public record CrossAttentionInputs(CrossAttentionStates states, NDArray mask, NDArray rowMask) {
}
