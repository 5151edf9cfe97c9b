package io.echoack.client.merge;

/**
 * An input that {@code echoack merge} cannot use (not JSON, not a bench result, an old schema), or inputs that
 * measured different things. The message names the file and line (or the two files) and says what to do.
 */
public final class MergeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MergeException(String message) {
        super(message);
    }

    MergeException(String message, Throwable cause) {
        super(message, cause);
    }
}
