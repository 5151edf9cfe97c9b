package io.echoack.server.datagram;

import java.net.InetSocketAddress;

/**
 * Told about every datagram the {@link DatagramGuardHandler} drops, by reason ({@code not_allowed} or a
 * {@link Verdict#label()}): the metrics, and {@link ReflectionGuardWarnings}. Called on the event loop, once per
 * dropped datagram, possibly at flood rates: must be thread-safe, cheap and never block.
 */
@FunctionalInterface
public interface DatagramDropListener {

    /** The label of a datagram dropped because its source is outside every {@code --allow} range. */
    String NOT_ALLOWED = "not_allowed";

    /** Ignores every drop. */
    DatagramDropListener NONE = (reason, sender) -> { };

    /**
     * @param reason why it was dropped
     * @param sender the source the datagram claims
     */
    void dropped(String reason, InetSocketAddress sender);
}
