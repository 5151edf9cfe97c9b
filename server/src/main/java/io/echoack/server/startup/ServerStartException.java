package io.echoack.server.startup;

import io.echoack.common.endpoint.Endpoint;

/**
 * The server could not start; the message is one line fit to show a user as is (e.g.
 * {@code cannot listen on tcp://0.0.0.0:51717: address already in use}). The command maps it to exit code 2.
 */
public final class ServerStartException extends Exception {

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public ServerStartException(Endpoint endpoint, String reason) {
        super("cannot listen on " + endpoint.address() + ": " + reason);
    }

    public ServerStartException(Endpoint endpoint, String reason, Throwable cause) {
        super("cannot listen on " + endpoint.address() + ": " + reason, cause);
    }
}
