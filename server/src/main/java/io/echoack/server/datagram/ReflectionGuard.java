package io.echoack.server.datagram;

import io.echoack.server.address.IpAddresses;
import io.echoack.server.limits.ReflectionGuardSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Keeps a UDP echo/ack listener from being used as a DDoS reflector or amplifier (echo and chargen over UDP
 * are the classic case, CVE-1999-0103): before a datagram is answered, {@link #check} decides whether its
 * claimed source may be sent the reply. In this order:
 * <ol>
 *   <li>source port 0: {@link Verdict#SOURCE_PORT_ZERO}</li>
 *   <li>source port below 1024, unless allowed: {@link Verdict#PRIVILEGED_PORT}</li>
 *   <li>source 255.255.255.255, a configured subnet broadcast, a multicast or the unspecified address:
 *       {@link Verdict#BROADCAST_OR_MULTICAST}</li>
 *   <li>per source address (all its ports together, since a forger picks ports freely; IPv4-mapped IPv6
 *       counts as IPv4): a token bucket of datagrams ({@code packetsPerSecond}, {@code burstPackets}) and
 *       one of reply bytes ({@code bytesPerSecond}, {@code burstBytes}): {@link Verdict#RATE_LIMITED};</li>
 *   <li>and the byte ratio: over any stretch of time, the reply bytes a source is sent stay within
 *       {@code replyRatio} &times; the bytes it sent, plus {@code ratioBurstBytes}, plus
 *       {@code ratioRefillBytesPerSecond} for each second: {@link Verdict#RATIO_EXCEEDED}. Every datagram
 *       received counts towards the ratio, answered or not.</li>
 * </ol>
 * Loopback sources skip the last two when {@code exemptLoopback} is set.
 *
 * <p><b>Memory.</b> Per-source state lives in tables of {@code maxSources} entries in all (about 70 bytes
 * each), which start at a few kilobytes and double as sources arrive; when full, the least recently seen
 * source is forgotten. A flood of forged sources therefore takes no more memory than that bound, and once
 * the tables are full it makes no garbage; it can only make the guard forget sources sooner (a forgotten
 * source starts again with full buckets; that is what the bursts cost, and why they are small). A listener
 * that few sources use holds little: the whole bound up front was 4.5 MB of heap per UDP listener.
 *
 * <p><b>Scope.</b> One guard per UDP listener, shared by all its sockets (a wildcard endpoint has one per
 * local address), so a source's budget is per listener of this process, whichever address it sends to. The guard's state is not shared between processes: with
 * {@code --reuse-port} across N server processes on one port, each has its own guard and the kernel spreads
 * datagrams over the processes by source address and port, so a forger varying its source port gets up to N
 * times the budget.
 *
 * <p><b>Threads.</b> Thread-safe: the state is striped over up to 16 tables, each with its own lock held
 * only for a few arithmetic steps (never across I/O), so callers on different threads do not wait on each
 * other in practice. The table and stripe of an address come from a hash seeded at random per guard, so
 * forged sources cannot be chosen to pile into one bucket.
 *
 * <p><b>Cost.</b> {@link #check} allocates nothing apart from the JDK's copy of the address bytes
 * ({@link InetAddress#getAddress()}, which the JIT usually removes). Unix datagram listeners need no
 * guard: their peers are local.
 */
public final class ReflectionGuard {

    private static final double NANOS_PER_SECOND = 1e9;
    /** Rounding slack: a bucket refilled in ten 1 ms steps must hold what one 10 ms step gives it. */
    private static final double EPSILON = 1e-6;
    private static final int MAX_STRIPES = 16;
    private static final int MIN_STRIPE_CAPACITY = 4096;

    private final Supplier<ReflectionGuardSettings> current;
    private final SourceTable[] stripes;
    private final int stripeShift;
    private final long seed;
    private final LongAdder[] counts = new LongAdder[Verdict.values().length];
    /** What the settings in force mean, worked out once per settings value (see {@link #rules()}). */
    private volatile Rules rules;

    public ReflectionGuard(ReflectionGuardSettings settings) {
        this(constant(settings));
    }

    /**
     * A guard that follows {@code settings} as they change (SIGHUP): each check reads them. The per-source
     * budgets carry over a change: a new rate refills them from the next datagram on, a lowered burst caps them
     * at the next datagram, a raised one lets them refill to it. Its tables are sized by the first settings'
     * {@code maxSources}, which later settings cannot change.
     */
    public ReflectionGuard(Supplier<ReflectionGuardSettings> settings) {
        this(settings, defaultStripes(settings.get().maxSources()), new SecureRandom().nextLong());
    }

    ReflectionGuard(ReflectionGuardSettings settings, int stripeCount, long seed) {
        this(constant(settings), stripeCount, seed);
    }

    private ReflectionGuard(Supplier<ReflectionGuardSettings> settings, int stripeCount, long seed) {
        this.current = Objects.requireNonNull(settings, "settings");
        ReflectionGuardSettings first = settings.get();
        if (Integer.bitCount(stripeCount) != 1 || stripeCount > first.maxSources()) {
            throw new IllegalArgumentException("stripes must be a power of two <= maxSources, was " + stripeCount);
        }
        stripes = new SourceTable[stripeCount];
        int base = first.maxSources() / stripeCount;
        int extra = first.maxSources() % stripeCount;
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new SourceTable(base + (i < extra ? 1 : 0));
        }
        stripeShift = 64 - Integer.numberOfTrailingZeros(stripeCount);
        this.seed = seed;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        rules = new Rules(first);
    }

    private static Supplier<ReflectionGuardSettings> constant(ReflectionGuardSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return () -> settings;
    }

    /**
     * The rules of the settings in force: worked out again only when the settings are another value than the
     * last time (a reload), so a check costs one read of the settings otherwise. Two threads that see a new value
     * at once may both work it out; they get equal rules.
     */
    private Rules rules() {
        ReflectionGuardSettings now = current.get();
        Rules r = rules;
        if (r.settings != now) {
            r = new Rules(now);
            rules = r;
        }
        return r;
    }

    /** One settings value, with what checks need from it in the form they need it. */
    private static final class Rules {
        final ReflectionGuardSettings settings;
        final boolean[] allowedPort = new boolean[1024];
        final long[] broadcastHi;
        final long[] broadcastLo;
        // per-nanosecond rates
        final double packetRate;
        final double byteRate;
        final double refillRate;

        Rules(ReflectionGuardSettings settings) {
            this.settings = settings;
            for (int port : settings.allowedPrivilegedPorts()) {
                allowedPort[port] = true;
            }
            broadcastHi = new long[settings.broadcastAddresses().size()];
            broadcastLo = new long[broadcastHi.length];
            int b = 0;
            for (InetAddress a : settings.broadcastAddresses()) {
                byte[] bytes = a.getAddress();
                broadcastHi[b] = hi(bytes);
                broadcastLo[b++] = lo(bytes);
            }
            packetRate = settings.packetsPerSecond() / NANOS_PER_SECOND;
            byteRate = settings.bytesPerSecond() / NANOS_PER_SECOND;
            refillRate = settings.ratioRefillBytesPerSecond() / NANOS_PER_SECOND;
        }
    }

    private static int defaultStripes(int maxSources) {
        int stripes = Integer.highestOneBit(Math.max(1, maxSources / MIN_STRIPE_CAPACITY));
        return Math.min(MAX_STRIPES, stripes);
    }

    /** The settings in force now. */
    public ReflectionGuardSettings settings() {
        return current.get();
    }

    /** {@link #check(InetSocketAddress, int, int, long)} at {@link System#nanoTime()}. */
    public Verdict check(InetSocketAddress source, int requestBytes, int replyBytes) {
        return check(source, requestBytes, replyBytes, System.nanoTime());
    }

    /**
     * Decides whether the reply to one datagram may be sent, and if so charges it to the source; also
     * counts the verdict. Thread-safe; call it for every datagram received (that is what feeds the ratio).
     *
     * @param source       the datagram's claimed sender (resolved, as sockets report it)
     * @param requestBytes the datagram's payload length
     * @param replyBytes   the payload length of the reply it would get
     * @param nowNanos     a {@link System#nanoTime()} reading (passed in so that tests control time)
     */
    public Verdict check(InetSocketAddress source, int requestBytes, int replyBytes, long nowNanos) {
        Verdict v = decide(source, requestBytes, replyBytes, nowNanos);
        counts[v.ordinal()].increment();
        return v;
    }

    private Verdict decide(InetSocketAddress source, int requestBytes, int replyBytes, long now) {
        Rules rules = rules();
        ReflectionGuardSettings settings = rules.settings;
        if (!settings.enabled()) {
            return Verdict.ACCEPT;
        }
        int port = source.getPort();
        if (port == 0) {
            return Verdict.SOURCE_PORT_ZERO;
        }
        if (port < 1024 && !rules.allowedPort[port]) {
            return Verdict.PRIVILEGED_PORT;
        }
        InetAddress address = source.getAddress();
        if (address == null) {
            return Verdict.BROADCAST_OR_MULTICAST; // unresolved: not a real sender
        }
        byte[] bytes = address.getAddress();
        long hi = hi(bytes);
        long lo = lo(bytes);
        if (notUnicast(rules, hi, lo)) {
            return Verdict.BROADCAST_OR_MULTICAST;
        }
        if (settings.exemptLoopback() && isLoopback(hi, lo)) {
            return Verdict.ACCEPT;
        }
        long h = hash(hi, lo);
        SourceTable table = stripes[stripeShift == 64 ? 0 : (int) (h >>> stripeShift)];
        int hash = (int) h;
        synchronized (table) {
            int i = table.find(hi, lo, hash);
            if (i < 0) {
                i = table.add(hi, lo, hash);
                table.packets[i] = settings.burstPackets();
                table.bytes[i] = settings.burstBytes();
                table.credit[i] = settings.ratioBurstBytes();
                table.last[i] = now;
            } else {
                // capped at the bursts even when no time passed, so that bursts lowered by a reload hold at once
                long elapsed = Math.max(0, now - table.last[i]);
                table.packets[i] = Math.min(settings.burstPackets(), table.packets[i] + elapsed * rules.packetRate);
                table.bytes[i] = Math.min(settings.burstBytes(), table.bytes[i] + elapsed * rules.byteRate);
                table.credit[i] = Math.min(settings.ratioBurstBytes(), table.credit[i] + elapsed * rules.refillRate);
                if (elapsed > 0) {
                    table.last[i] = now;
                }
            }
            double credit = table.credit[i] + settings.replyRatio() * requestBytes;
            Verdict v;
            if (table.packets[i] < 1 - EPSILON) {
                v = Verdict.RATE_LIMITED;
            } else {
                table.packets[i] = Math.max(0, table.packets[i] - 1);
                if (replyBytes > table.bytes[i] + EPSILON) {
                    v = Verdict.RATE_LIMITED;
                } else if (replyBytes > credit + EPSILON) {
                    v = Verdict.RATIO_EXCEEDED;
                } else {
                    table.bytes[i] = Math.max(0, table.bytes[i] - replyBytes);
                    credit = Math.max(0, credit - replyBytes);
                    v = Verdict.ACCEPT;
                }
            }
            table.credit[i] = Math.min(credit, settings.ratioBurstBytes());
            return v;
        }
    }

    /** Datagrams given {@code verdict} so far. */
    public long count(Verdict verdict) {
        return counts[verdict.ordinal()].sum();
    }

    /** Datagrams dropped so far, for any reason. */
    public long dropped() {
        long sum = 0;
        for (Verdict v : Verdict.values()) {
            if (!v.accepted()) {
                sum += count(v);
            }
        }
        return sum;
    }

    /** Source addresses with state now; never more than {@code maxSources}. */
    public int sources() {
        int n = 0;
        for (SourceTable t : stripes) {
            synchronized (t) {
                n += t.size();
            }
        }
        return n;
    }

    // Addresses as 128 bits, IPv4 (and IPv4-mapped) as ::ffff:a.b.c.d, so both forms are one source.
    private static long hi(byte[] a) {
        return a.length == 4 ? 0 : IpAddresses.longAt(a, 0);
    }

    private static long lo(byte[] a) {
        return a.length == 4 ? 0xffff_0000_0000L | (IpAddresses.ipv4Bits(a) & 0xffff_ffffL) : IpAddresses.longAt(a, 8);
    }

    private static boolean isIpv4(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xffff;
    }

    private static boolean notUnicast(Rules rules, long hi, long lo) {
        if (isIpv4(hi, lo)) {
            int v4 = (int) lo;
            if (v4 == -1 || v4 == 0 || (v4 >>> 28) == 0xe) { // 255.255.255.255, 0.0.0.0, 224.0.0.0/4
                return true;
            }
        } else if ((hi >>> 56) == 0xff || (hi == 0 && lo == 0)) { // ff00::/8, ::
            return true;
        }
        for (int i = 0; i < rules.broadcastHi.length; i++) {
            if (rules.broadcastHi[i] == hi && rules.broadcastLo[i] == lo) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(long hi, long lo) {
        return isIpv4(hi, lo) ? ((int) lo >>> 24) == 127 : hi == 0 && lo == 1;
    }

    private long hash(long hi, long lo) {
        long h = seed ^ hi;
        h *= 0x9e37_79b9_7f4a_7c15L;
        h = Long.rotateLeft(h, 31) ^ lo;
        h *= 0xbf58_476d_1ce4_e5b9L;
        h ^= h >>> 31;
        h *= 0x94d0_49bb_1331_11ebL;
        return h ^ (h >>> 29);
    }
}
