package io.echoack.server.reload;

/** A new configuration that a part of the running server cannot apply; its message says why, naming the file. */
public final class ReloadException extends Exception {

    private static final long serialVersionUID = 1L;

    public ReloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
