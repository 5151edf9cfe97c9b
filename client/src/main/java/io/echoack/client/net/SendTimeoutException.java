package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import java.time.Duration;

/**
 * A request could not even be sent: the connection's outbound buffer stayed above its high water mark for the
 * whole timeout, because the server does not read what it is sent (or reads more slowly than the caller
 * sends). The request was not written, so nothing is owed for it and the connection stays open: the requests
 * before it still get their replies, and the caller may try again later.
 */
public final class SendTimeoutException extends EchoAckClientException {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    public SendTimeoutException(Endpoint endpoint, Duration timeout) {
        super(endpoint, timeout.isZero()
                ? "could not send to " + endpoint.address() + ": the server is not reading what this connection "
                        + "sent, and a request made on an event loop does not wait"
                : "could not send to " + endpoint.address() + " within " + Durations.format(timeout)
                        + ": the server is not reading what this connection sent");
        this.timeout = timeout;
    }

    /** How long the request waited for the connection to become writable: zero on an event loop. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.TIMEOUT;
    }
}
