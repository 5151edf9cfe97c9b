package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;

/**
 * The connection ended before the reply arrived: the server closed or reset it, the client closed it,
 * or it was closed after an earlier failure (a timeout or a malformed reply) had made replies unmatchable.
 * Its {@link #kind()} is {@link FailureKind#RESET} in every case but a TLS failure; {@link #isClosedByServer()}
 * and {@link #isReset()} tell the server's two ways of ending a connection apart, which a load test reports
 * separately: a deliberate close (FIN) and an abort (RST).
 */
public final class ConnectionClosedException extends EchoAckClientException {

    private static final long serialVersionUID = 1L;

    private final boolean closedByServer;

    public ConnectionClosedException(Endpoint endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
        this.closedByServer = false;
    }

    /** As the three-argument constructor, with a message that names settings by field (its cause's). */
    public ConnectionClosedException(Endpoint endpoint, FieldMessage message, Throwable cause) {
        super(endpoint, message, cause);
        this.closedByServer = false;
    }

    public ConnectionClosedException(Endpoint endpoint, String message) {
        this(endpoint, message, null);
    }

    private ConnectionClosedException(Endpoint endpoint, String message, boolean closedByServer) {
        super(endpoint, message, null);
        this.closedByServer = closedByServer;
    }

    /** The server closed the connection cleanly: the client read end of stream (a FIN) before the reply. */
    static ConnectionClosedException closedByServer(Endpoint endpoint, String message) {
        return new ConnectionClosedException(endpoint, message, true);
    }

    /**
     * True when the server closed the connection cleanly (a FIN: the client read end of stream), this failure
     * or the one it follows from; false when it reset it, or the client closed it.
     */
    public boolean isClosedByServer() {
        for (Throwable t = this; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionClosedException closed && closed.closedByServer) {
                return true;
            }
        }
        return false;
    }

    /** True when the server reset the connection ({@link FailureKind#isReset}); false when it closed it cleanly. */
    public boolean isReset() {
        return FailureKind.isReset(this);
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.RESET;
    }
}
