package io.github.llavao1.reasoning;

/**
 * One question for the search, bound on the model's side to its prompt source and its images (which the search
 * never sees). {@link StagedReasoner#reason} opens it once and closes the port when the search ends.
 */
@FunctionalInterface
public interface ReasoningRequest {

    /**
     * Opens the request's port: its images are encoded at most once for the whole search, unless
     * {@code sequential} asks otherwise.
     *
     * @param sequential {@code true} reproduces the reference implementation's cost model (every call re-encodes
     *                   the images and re-reads the whole prefix, the n candidates are decoded one at a time);
     *                   only used to measure what the cached, batched path saves
     */
    ReasoningPort open(boolean sequential);
}
