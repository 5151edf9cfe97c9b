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

    /**
     * What kind of failure this is (timeout, refused, reset, ...): the subclass's own kind, else the kind of
     * its cause, else {@link FailureKind#OTHER}. The CLI turns it into an exit code.
     */
    public final FailureKind kind() {
        return FailureKind.of(this);
    }

    /** The kind this exception type stands for, or null when its cause decides. */
    FailureKind ownKind() {
        return null;
    }
}
