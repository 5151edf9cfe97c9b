package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;

/**
 * TLS failed on a {@code tls://} connection: the handshake (the server's certificate is not trusted or not
 * for this host, the server is not speaking TLS, it refused the client's certificate or the lack of one, or
 * the handshake took too long), or the TLS session later (a fatal alert, a corrupt record). The message says
 * which, and what to do about it. Its kind is {@link FailureKind#TLS} (exit code 7).
 */
public final class TlsException extends ConnectFailedException {

    private static final long serialVersionUID = 1L;

    public TlsException(Endpoint endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }

    public TlsException(Endpoint endpoint, FieldMessage message, Throwable cause) {
        super(endpoint, message, cause);
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.TLS;
    }
}
