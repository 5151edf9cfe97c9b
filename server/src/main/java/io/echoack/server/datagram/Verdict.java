package io.echoack.server.datagram;

import java.util.Locale;

/**
 * What {@link ReflectionGuard#check} decided about one datagram: answer it, or drop it for a reason. Each
 * drop reason has a stable snake_case {@link #label()} for {@code echoack_datagrams_dropped_total{reason=...}}.
 */
public enum Verdict {
    /** Answer it. */
    ACCEPT,
    /** The source port is 0: nothing can be answered there, and such packets are forged. */
    SOURCE_PORT_ZERO,
    /**
     * The source port is below 1024 and not allowed explicitly: a well-known service (echo 7, chargen 19,
     * DNS 53, NTP 123, ...) that would answer our reply in turn; the classic echo/chargen loop
     * (CVE-1999-0103) and the usual signature of a spoofed reflection attack.
     */
    PRIVILEGED_PORT,
    /**
     * The source is a broadcast or multicast address (or the unspecified address): not a single host, so
     * a reply would go to many hosts, or to this one.
     */
    BROADCAST_OR_MULTICAST,
    /** The source exceeded its packet or reply-byte rate. */
    RATE_LIMITED,
    /** The reply would make the bytes sent to the source too large a multiple of the bytes it sent. */
    RATIO_EXCEEDED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** True for {@link #ACCEPT}. */
    public boolean accepted() {
        return this == ACCEPT;
    }

    /** The metric label: {@code accept}, {@code source_port_zero}, {@code privileged_port}, ... */
    public String label() {
        return label;
    }
}
