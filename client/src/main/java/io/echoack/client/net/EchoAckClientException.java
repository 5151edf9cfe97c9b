package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.NamesFields;
import java.util.Objects;
import java.util.Optional;

/**
 * Base of every failure the client reports for an exchange with a server, so that callers (the CLI in
 * particular) can tell network outcomes (timeout, refused, closed, bad reply) from programming errors.
 * Each message is one self-contained sentence that names the endpoint.
 */
public class EchoAckClientException extends RuntimeException implements NamesFields {

    private static final long serialVersionUID = 1L;

    private final transient Endpoint endpoint;
    private final transient FieldMessage fieldMessage;

    public EchoAckClientException(Endpoint endpoint, String message, Throwable cause) {
        super(message, cause);
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.fieldMessage = null;
    }

    /** A failure whose message names settings by field (e.g. the one to change to get past it). */
    public EchoAckClientException(Endpoint endpoint, FieldMessage message, Throwable cause) {
        super(message.toString(), cause);
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.fieldMessage = message;
    }

    public EchoAckClientException(Endpoint endpoint, String message) {
        this(endpoint, message, null);
    }

    @Override
    public Optional<FieldMessage> fieldMessage() {
        return Optional.ofNullable(fieldMessage);
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
