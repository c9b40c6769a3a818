package io.github.llavao1.engine.image;

/**
 * Image bytes that cannot be used: empty, over a size limit, in an unsupported format, or corrupt. The message
 * always names the source (file name or the caller's label) and the problem, with the limit where one applies.
 */
public class InvalidImageException extends RuntimeException {

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
