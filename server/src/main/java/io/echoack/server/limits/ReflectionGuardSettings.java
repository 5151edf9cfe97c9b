package io.echoack.server.limits;

import io.echoack.common.endpoint.Datagrams;
import io.echoack.server.address.IpAddresses;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the UDP {@link io.echoack.server.datagram.ReflectionGuard}. An echo or ack service over UDP
 * answers whoever a datagram claims to come from, and UDP source addresses are trivially forged: without a
 * guard the server is a ready-made reflector (the attacker's traffic lands on a victim with the server's
 * address on it) and, in ack mode, an amplifier (a 1-byte request earns a 16-byte ack). On by default.
 *
 * @param enabled                 false answers every datagram (for closed networks and benchmarks)
 * @param allowedPrivilegedPorts  source ports below 1024 that may still be answered (default none)
 * @param packetsPerSecond        datagrams per second one source address may send and be answered
 *                                ({@code --udp-rate}); over it, its datagrams are dropped
 * @param burstPackets            datagrams a source may send at once above its rate ({@code --udp-burst})
 * @param bytesPerSecond          reply bytes per second one source address may be sent
 * @param burstBytes              reply bytes a source may be sent at once above that rate; at least the
 *                                largest UDP reply (65,507 bytes), or large echoes could never be answered
 * @param replyRatio              reply bytes sent to a source may be at most this multiple of the bytes it
 *                                sent (plus {@code ratioBurstBytes}); at least 1, since an echo is as long
 *                                as its request
 * @param ratioBurstBytes         the allowance above the ratio, so that a short request still gets its
 *                                longer ack ({@code hello}, 5 bytes, earns the 16-byte ack)
 * @param ratioRefillBytesPerSecond how fast a source's spent allowance comes back while it pays less than
 *                                the ratio, so a long-lived client of short requests is slowed at worst,
 *                                never shut out
 * @param maxSources              source addresses whose state is kept (least recently seen forgotten first);
 *                                bounds the memory a flood of forged sources can take (~70 bytes each,
 *                                allocated as sources arrive)
 * @param exemptLoopback          sources on loopback (127.0.0.0/8, ::1) skip the rate and ratio limits:
 *                                the kernel drops a loopback source arriving from the network as a martian,
 *                                so it cannot be forged from outside; this keeps local tests and
 *                                benchmarks unthrottled
 * @param broadcastAddresses      directed (subnet) broadcast addresses to refuse as sources, besides
 *                                255.255.255.255; a source address alone does not tell whether it is some
 *                                subnet's broadcast address, so name them, e.g. with
 *                                {@link #localBroadcastAddresses()}
 */
public record ReflectionGuardSettings(boolean enabled, Set<Integer> allowedPrivilegedPorts, int packetsPerSecond,
                                      int burstPackets, long bytesPerSecond, long burstBytes, double replyRatio,
                                      int ratioBurstBytes, int ratioRefillBytesPerSecond, int maxSources,
                                      boolean exemptLoopback, Set<InetAddress> broadcastAddresses) {

    /**
     * 100 datagrams/s per source: far more than a client waiting for each reply sends over a WAN, and it
     * caps what any one forged victim address can be sent (100 acks of 16 bytes: 1.6 KB/s).
     */
    public static final int DEFAULT_PACKETS_PER_SECOND = 100;
    /** 200 datagrams: two seconds' worth at once, for a client that pipelines a batch. */
    public static final int DEFAULT_BURST_PACKETS = 200;
    /**
     * 1 MiB/s of replies per source (8 Mbit/s): ample for any echo client below the packet rate with
     * ordinary messages; it bounds what one source gets when its datagrams are large.
     */
    public static final long DEFAULT_BYTES_PER_SECOND = 1024 * 1024;
    /** 256 KiB: four of the largest datagrams, or a 200-packet burst of 1 KiB messages, at once. */
    public static final long DEFAULT_BURST_BYTES = 256 * 1024;
    /** The largest UDP payload: {@code burstBytes} may not be below it. */
    public static final long MIN_BURST_BYTES = Datagrams.MAX_PAYLOAD_BYTES;
    /** 2.0: a flood of tiny forged requests buys at most about twice its own bytes towards its victim. */
    public static final double DEFAULT_REPLY_RATIO = 2.0;
    /** 4 KiB: the ack of a short first request is never refused, nor a short exchange of several. */
    public static final int DEFAULT_RATIO_BURST_BYTES = 4096;
    /**
     * 64 B/s: a client of 5-byte requests and 16-byte acks needs 6 bytes above the ratio per message, so
     * about ten such messages a second go on for ever, and a paused client has its whole 4 KiB allowance
     * back within about a minute; an attacker gains only 64 B/s per victim address from it.
     */
    public static final int DEFAULT_RATIO_REFILL_BYTES_PER_SECOND = 64;
    /** 65,536 sources (at most about 4.5 MB). */
    public static final int DEFAULT_MAX_SOURCES = 65_536;
    /** Most sources accepted by configuration (about 300 MB). */
    public static final int MAX_MAX_SOURCES = 1 << 22;

    public ReflectionGuardSettings {
        Objects.requireNonNull(allowedPrivilegedPorts, "allowedPrivilegedPorts");
        Objects.requireNonNull(broadcastAddresses, "broadcastAddresses");
        allowedPrivilegedPorts = Collections.unmodifiableSet(new LinkedHashSet<>(allowedPrivilegedPorts));
        for (Integer port : allowedPrivilegedPorts) {
            if (port == null || port < 1 || port > 1023) {
                throw new IllegalArgumentException("allowedPrivilegedPorts must be ports 1..1023 (others are "
                        + "always answered, port 0 never), was " + port);
            }
        }
        broadcastAddresses = Collections.unmodifiableSet(new LinkedHashSet<>(broadcastAddresses));
        for (InetAddress a : broadcastAddresses) {
            Objects.requireNonNull(a, "broadcastAddresses element");
        }
        if (packetsPerSecond < 1) {
            throw new IllegalArgumentException("packetsPerSecond must be >= 1, was " + packetsPerSecond);
        }
        if (burstPackets < 1) {
            throw new IllegalArgumentException("burstPackets must be >= 1, was " + burstPackets);
        }
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 1, was " + bytesPerSecond);
        }
        if (burstBytes < MIN_BURST_BYTES) {
            throw new IllegalArgumentException("burstBytes must be >= " + MIN_BURST_BYTES
                    + " (the largest UDP reply), was " + burstBytes);
        }
        if (!(replyRatio >= 1.0) || Double.isInfinite(replyRatio)) {
            throw new IllegalArgumentException("replyRatio must be a finite number >= 1 (an echo is as long as "
                    + "its request), was " + replyRatio);
        }
        if (ratioBurstBytes < 0) {
            throw new IllegalArgumentException("ratioBurstBytes must be >= 0, was " + ratioBurstBytes);
        }
        if (ratioRefillBytesPerSecond < 0) {
            throw new IllegalArgumentException("ratioRefillBytesPerSecond must be >= 0, was "
                    + ratioRefillBytesPerSecond);
        }
        if (maxSources < 1 || maxSources > MAX_MAX_SOURCES) {
            throw new IllegalArgumentException("maxSources must be 1.." + MAX_MAX_SOURCES + ", was " + maxSources);
        }
    }

    /** On, with every {@code DEFAULT_*} value, no privileged port allowed and no extra broadcast address. */
    public static ReflectionGuardSettings defaults() {
        return new ReflectionGuardSettings(true, Set.of(), DEFAULT_PACKETS_PER_SECOND, DEFAULT_BURST_PACKETS,
                DEFAULT_BYTES_PER_SECOND, DEFAULT_BURST_BYTES, DEFAULT_REPLY_RATIO, DEFAULT_RATIO_BURST_BYTES,
                DEFAULT_RATIO_REFILL_BYTES_PER_SECOND, DEFAULT_MAX_SOURCES, true, Set.of());
    }

    /** The guard off: every datagram answered. */
    public static ReflectionGuardSettings disabled() {
        return defaults().withEnabled(false);
    }

    public ReflectionGuardSettings withEnabled(boolean v) {
        return new ReflectionGuardSettings(v, allowedPrivilegedPorts, packetsPerSecond, burstPackets,
                bytesPerSecond, burstBytes, replyRatio, ratioBurstBytes, ratioRefillBytesPerSecond, maxSources,
                exemptLoopback, broadcastAddresses);
    }

    public ReflectionGuardSettings withAllowedPrivilegedPorts(Set<Integer> v) {
        return new ReflectionGuardSettings(enabled, v, packetsPerSecond, burstPackets, bytesPerSecond, burstBytes,
                replyRatio, ratioBurstBytes, ratioRefillBytesPerSecond, maxSources, exemptLoopback,
                broadcastAddresses);
    }

    /** {@code --udp-rate} and {@code --udp-burst}. */
    public ReflectionGuardSettings withPacketRate(int perSecond, int burst) {
        return new ReflectionGuardSettings(enabled, allowedPrivilegedPorts, perSecond, burst, bytesPerSecond,
                burstBytes, replyRatio, ratioBurstBytes, ratioRefillBytesPerSecond, maxSources, exemptLoopback,
                broadcastAddresses);
    }

    public ReflectionGuardSettings withByteRate(long perSecond, long burst) {
        return new ReflectionGuardSettings(enabled, allowedPrivilegedPorts, packetsPerSecond, burstPackets,
                perSecond, burst, replyRatio, ratioBurstBytes, ratioRefillBytesPerSecond, maxSources,
                exemptLoopback, broadcastAddresses);
    }

    public ReflectionGuardSettings withReplyRatio(double ratio, int burstBytes, int refillBytesPerSecond) {
        return new ReflectionGuardSettings(enabled, allowedPrivilegedPorts, packetsPerSecond, burstPackets,
                bytesPerSecond, this.burstBytes, ratio, burstBytes, refillBytesPerSecond, maxSources,
                exemptLoopback, broadcastAddresses);
    }

    public ReflectionGuardSettings withMaxSources(int v) {
        return new ReflectionGuardSettings(enabled, allowedPrivilegedPorts, packetsPerSecond, burstPackets,
                bytesPerSecond, burstBytes, replyRatio, ratioBurstBytes, ratioRefillBytesPerSecond, v,
                exemptLoopback, broadcastAddresses);
    }

    public ReflectionGuardSettings withExemptLoopback(boolean v) {
        return new ReflectionGuardSettings(enabled, allowedPrivilegedPorts, packetsPerSecond, burstPackets,
                bytesPerSecond, burstBytes, replyRatio, ratioBurstBytes, ratioRefillBytesPerSecond, maxSources, v,
                broadcastAddresses);
    }

    public ReflectionGuardSettings withBroadcastAddresses(Set<InetAddress> v) {
        return new ReflectionGuardSettings(enabled, allowedPrivilegedPorts, packetsPerSecond, burstPackets,
                bytesPerSecond, burstBytes, replyRatio, ratioBurstBytes, ratioRefillBytesPerSecond, maxSources,
                exemptLoopback, v);
    }

    /**
     * The directed broadcast addresses of this machine's IPv4 interfaces (e.g. 192.168.1.255 for
     * 192.168.1.0/24), for {@link #withBroadcastAddresses}. Asks the OS: call at startup, never on an
     * event loop. An interface that cannot be read is skipped.
     */
    public static Set<InetAddress> localBroadcastAddresses() {
        Set<InetAddress> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                    if (ia.getBroadcast() != null) {
                        out.add(IpAddresses.unmap(ia.getBroadcast()));
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            // no interface list: only 255.255.255.255 and multicast are recognised
        }
        return out;
    }
}
