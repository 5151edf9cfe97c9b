package io.echoack.server.datagram;

import io.echoack.server.metrics.ListenerMetrics.DropReason;

/**
 * What {@link ReflectionGuard#check} decided about one datagram: answer it, or drop it for a reason. Each
 * drop is counted under its {@link #dropReason()} in {@code echoack_datagrams_dropped_total{reason=...}}.
 */
public enum Verdict {
    /** Answer it. */
    ACCEPT(null),
    /** The source port is 0: nothing can be answered there, and such packets are forged. */
    SOURCE_PORT_ZERO(DropReason.SOURCE_PORT_ZERO),
    /**
     * The source port is below 1024 and not allowed explicitly: a well-known service (echo 7, chargen 19,
     * DNS 53, NTP 123, ...) that would answer our reply in turn; the classic echo/chargen loop
     * (CVE-1999-0103) and the usual signature of a spoofed reflection attack.
     */
    PRIVILEGED_PORT(DropReason.PRIVILEGED_PORT),
    /**
     * The source is a broadcast or multicast address (or the unspecified address): not a single host, so
     * a reply would go to many hosts, or to this one.
     */
    BROADCAST_OR_MULTICAST(DropReason.BROADCAST_OR_MULTICAST),
    /** The source exceeded its packet or reply-byte rate. */
    RATE_LIMITED(DropReason.RATE_LIMITED),
    /** The reply would make the bytes sent to the source too large a multiple of the bytes it sent. */
    RATIO_EXCEEDED(DropReason.RATIO_EXCEEDED);

    private final DropReason dropReason;

    Verdict(DropReason dropReason) {
        this.dropReason = dropReason;
    }

    /** True for {@link #ACCEPT}. */
    public boolean accepted() {
        return this == ACCEPT;
    }

    /** Why a datagram with this verdict got no reply; null for {@link #ACCEPT}. */
    public DropReason dropReason() {
        return dropReason;
    }
}
