package io.github.llavao1.engine.checkpoint;

/**
 * A checkpoint directory or file that cannot be used: missing, malformed, or inconsistent with its config.
 * The message always names the file (and the tensor or JSON key) and the problem.
 */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
