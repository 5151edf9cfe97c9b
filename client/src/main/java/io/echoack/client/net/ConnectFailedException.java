package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;

/**
 * No connection (or, for datagrams, no local socket) could be set up: the host did not resolve, the
 * connect attempt timed out, the socket file is not a socket, and so on. {@link ConnectionRefusedException}
 * is the common special case of nothing listening.
 */
public class ConnectFailedException extends EchoAckClientException {

    private static final long serialVersionUID = 1L;

    public ConnectFailedException(Endpoint endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    public ConnectFailedException(Endpoint endpoint, FieldMessage message, Throwable cause) {
        super(endpoint, message, cause);
    }
}
