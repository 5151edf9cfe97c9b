package io.echoack.server.datagram;

import io.echoack.server.metrics.ListenerMetrics.DropReason;
import java.net.InetSocketAddress;

/**
 * Told about every datagram the {@link DatagramGuardHandler} drops, by reason ({@link DropReason#NOT_ALLOWED} or
 * a {@link Verdict#dropReason()}): the metrics, and {@link ReflectionGuardWarnings}. Called on the event loop, once per
 * dropped datagram, possibly at flood rates: must be thread-safe, cheap and never block.
 */
@FunctionalInterface
public interface DatagramDropListener {

    /** Ignores every drop. */
    DatagramDropListener NONE = (reason, sender) -> { };

    /**
     * @param reason why it was dropped
     * @param sender the source the datagram claims
     */
    void dropped(DropReason reason, InetSocketAddress sender);
}
