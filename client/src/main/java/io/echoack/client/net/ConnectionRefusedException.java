package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;

/**
 * Nothing listens at the endpoint: the TCP connection was refused, the Unix socket file does not exist or
 * has no server, or a Unix datagram could not be delivered. The message names the endpoint, e.g.
 * {@code connection refused by tcp://127.0.0.1:1}.
 */
public final class ConnectionRefusedException extends ConnectFailedException {

    private static final long serialVersionUID = 1L;

    public ConnectionRefusedException(Endpoint endpoint, String detail, Throwable cause) {
        super(endpoint, "connection refused by " + endpoint.address() + (detail == null ? "" : " (" + detail + ")"),
                cause);
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.REFUSED;
    }
}
