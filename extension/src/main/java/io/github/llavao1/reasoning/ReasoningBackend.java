package io.github.llavao1.reasoning;

import java.util.List;

/**
 * What the reasoning search needs from a model: the service-provider interface that the engine implements.
 * Token-level so that a stage continues from the winner's exact tokens instead of a re-tokenised string.
 */
public interface ReasoningBackend {

    /**
     * Opens a session for one request.
     *
     * @param images     the request's images, opaque to the search (the engine's own image type); encoded at most
     *                   once per session unless {@code sequential} asks otherwise
     * @param sequential {@code true} reproduces the reference implementation's cost model (every call re-encodes
     *                   the images and re-reads the whole prefix, the n candidates are decoded one at a time);
     *                   only used to measure what the cached, batched path saves
     */
    ReasoningSession open(List<?> images, boolean sequential);
}
