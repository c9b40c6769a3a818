package io.github.llavao1.hub;

/** A model could not be fetched from the Hub or found in the cache; the message names the model and the files. */
public class HubException extends RuntimeException {

    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
