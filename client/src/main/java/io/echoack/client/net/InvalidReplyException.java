package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;

/**
 * The server sent something that is not a reply to an outstanding request: a frame longer than the
 * client's max frame length, a corrupt length prefix, bytes when no request was waiting, or, in echo mode, a
 * reply that is not the echo of its message (quoted in the message). A stream connection is closed after
 * this, since later replies could no longer be matched to their requests.
 */
public final class InvalidReplyException extends EchoAckClientException {

    private static final long serialVersionUID = 1L;

    public InvalidReplyException(Endpoint endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    public InvalidReplyException(Endpoint endpoint, FieldMessage message, Throwable cause) {
        super(endpoint, message, cause);
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.WRONG_REPLY;
    }
}
