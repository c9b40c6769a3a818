package io.github.llavao1.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * What every decoder layer of one forward pass shares, instead of a padded signature.
 *
 * @param start position of the first new token (= tokens already in the cache)
 * @param angles RoPE cos/sin for this pass's positions
 * @param causalMask additive [T, start+T] mask, or null for a single new token
 * @param cache the self-attention cache, already reserved for the new tokens
 * @param cross the image's cross-attention inputs, or null for a text-only pass (cross layers are skipped, as in
 *     transformers when there are no cross-attention states)
 */
record LayerInputs(int start, RotaryEmbedding.Angles angles, NDArray causalMask, KvCache cache,
        CrossAttentionInputs cross) {
}
