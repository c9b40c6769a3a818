package io.github.llavao1.langchain4j;

import io.github.llavao1.engine.image.InvalidImageException;

/**
 * An image reference the {@link ImagePolicy} does not allow: a file outside the allowed roots, a host not on the
 * list, a scheme that is never fetched. A subclass of {@link InvalidImageException} so that callers handling "bad
 * image" need only one catch; the message names the reference and the rule.
 */
public class ImageAccessDeniedException extends InvalidImageException {

    public ImageAccessDeniedException(String message) {
        super(message);
    }
}
