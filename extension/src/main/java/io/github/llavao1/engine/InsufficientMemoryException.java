package io.github.llavao1.engine;

import io.github.llavao1.engine.checkpoint.CheckpointException;

/**
 * The checkpoint's weights do not fit in the memory this process may still use on the CPU, so loading stopped before
 * copying any (see {@link EngineOptions#checkMemory()}). The message names the checkpoint, what it needs and what is
 * available. A {@link CheckpointException}: the checkpoint cannot be used here.
 */
public class InsufficientMemoryException extends CheckpointException {

    private final long neededBytes;
    private final long availableBytes;

    public InsufficientMemoryException(String message, long neededBytes, long availableBytes) {
        super(message);
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    /** The weights' bytes in the compute dtype. */
    public long neededBytes() {
        return neededBytes;
    }

    /** What the process could still use when loading began. */
    public long availableBytes() {
        return availableBytes;
    }
}
