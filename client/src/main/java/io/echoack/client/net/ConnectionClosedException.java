package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;

/**
 * The connection ended before the reply arrived: the server closed or reset it, the client closed it,
 * or it was closed after an earlier failure (a timeout or a malformed reply) had made replies unmatchable.
 */
public final class ConnectionClosedException extends EchoAckClientException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(Endpoint endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    public ConnectionClosedException(Endpoint endpoint, String message) {
        super(endpoint, message);
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.RESET;
    }
}
