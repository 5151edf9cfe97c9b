package io.echoack.common.transport;

/** An explicitly requested native transport cannot be loaded on this machine; the cause says why. */
public final class TransportUnavailableException extends RuntimeException {

    private final Transport transport;

    public TransportUnavailableException(Transport transport, Throwable cause) {
        super("transport " + transport.id() + " is not available here"
                + (cause == null ? "" : ": " + Transport.describe(cause))
                + " (use --transport auto or nio)", cause);
        this.transport = transport;
    }

    /** The transport that was asked for. */
    public Transport transport() {
        return transport;
    }
}
