package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;

/**
 * The server answered a message with an error line ({@code ERROR: ...}, e.g. an echoack server's
 * {@code ERROR: message longer than N bytes} for a line over its max frame length) instead of a reply. Its
 * kind is {@link FailureKind#WRONG_REPLY} (exit code 8). The connection stays usable: the server goes on with
 * the next message.
 */
public final class ErrorReplyException extends EchoAckClientException {

    private static final long serialVersionUID = 1L;

    /** How a server's error line starts. */
    public static final String PREFIX = "ERROR: ";

    public ErrorReplyException(Endpoint endpoint, byte[] reply) {
        super(endpoint, endpoint.address() + " answered with an error: " + ReplyText.quote(reply));
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.WRONG_REPLY;
    }
}
