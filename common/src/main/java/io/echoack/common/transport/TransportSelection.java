package io.echoack.common.transport;

/**
 * The transport a process will use and the reason it was chosen, so that startup can log both
 * (e.g. "nio (epoll is unavailable: UnsatisfiedLinkError: ...)").
 *
 * @param transport the concrete transport, never {@link Transport#AUTO}
 * @param reason    a short human-readable explanation
 */
public record TransportSelection(Transport transport, String reason) {

    public TransportSelection {
        if (transport == null || transport == Transport.AUTO) {
            throw new IllegalArgumentException("transport must be concrete, was " + transport);
        }
    }

    /** True when a native transport (not NIO) was chosen. */
    public boolean isNative() {
        return transport != Transport.NIO;
    }
}
