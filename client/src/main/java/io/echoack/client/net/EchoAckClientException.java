package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import java.util.Objects;

/**
 * Base of every failure the client reports for an exchange with a server, so that callers (the CLI in
 * particular) can tell network outcomes (timeout, refused, closed, bad reply) from programming errors.
 * Each message is one self-contained sentence that names the endpoint.
 */
public class EchoAckClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Endpoint endpoint;

    public EchoAckClientException(Endpoint endpoint, String message, Throwable cause) {
        super(message, cause);
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    public EchoAckClientException(Endpoint endpoint, String message) {
        this(endpoint, message, null);
    }

    /** The endpoint the failed exchange was with. */
    public Endpoint endpoint() {
        return endpoint;
    }
}
