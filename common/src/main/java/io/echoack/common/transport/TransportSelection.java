package io.echoack.common.transport;

import io.echoack.common.text.FieldMessage;
import java.util.Objects;

/**
 * The transport a process will use and the reason it was chosen, so that startup can log both
 * (e.g. "nio (epoll is unavailable: UnsatisfiedLinkError: ...)").
 *
 * @param transport the concrete transport, never {@link Transport#AUTO}
 * @param reason    a short explanation; when the transport was asked for, it names the setting by its field
 *                  ({@code requested with transport epoll}), which a CLI renders with its own flag or variable
 */
public record TransportSelection(Transport transport, FieldMessage reason) {

    public TransportSelection {
        if (transport == null || transport == Transport.AUTO) {
            throw new IllegalArgumentException("transport must be concrete, was " + transport);
        }
        Objects.requireNonNull(reason, "reason");
    }

    /** True when a native transport (not NIO) was chosen. */
    public boolean isNative() {
        return transport != Transport.NIO;
    }
}
