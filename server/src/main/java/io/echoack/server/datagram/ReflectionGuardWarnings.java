package io.echoack.server.datagram;

import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.RefusalCounter;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.metrics.ListenerMetrics.DropReason;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DatagramDropListener} that makes datagrams dropped by the reflection guard's per-source limits
 * (rate, and reply/request byte ratio) show in the log: one rate-limited WARN line per limit and listener
 * (see {@link RefusalWarnings}), naming the settings. These are the drops an ordinary client can run into
 * (a load test from another host); the other reasons (forbidden source ports and addresses, {@code --allow})
 * only ever refuse forged or unwanted traffic and are counted in the metrics alone. One instance per UDP
 * listener; thread-safe, and a drop costs a counter increment.
 */
public final class ReflectionGuardWarnings implements DatagramDropListener {

    private static final Logger log = LoggerFactory.getLogger(ReflectionGuard.class);
    private static final String ON_TRUSTED_NETWORKS =
            "; on a network where no source can be forged, --no-udp-guard turns the guard off";

    private final RefusalCounter rate;
    private final RefusalCounter ratio;

    /**
     * @param warnings the server's warnings
     * @param listener the listener's name (see {@link RefusalWarnings#counter})
     * @param settings the guard's settings, for the lines
     */
    public ReflectionGuardWarnings(RefusalWarnings warnings, String listener, ReflectionGuardSettings settings) {
        this(warnings, listener, () -> settings);
    }

    /**
     * @param warnings the server's warnings
     * @param listener the listener's name (see {@link RefusalWarnings#counter})
     * @param guard    the guard's settings in force when a line is written (they may change on SIGHUP)
     */
    public ReflectionGuardWarnings(RefusalWarnings warnings, String listener,
                                   Supplier<ReflectionGuardSettings> guard) {
        rate = warnings.counter(log, listener, "dropped", "datagram", () -> {
            ReflectionGuardSettings settings = guard.get();
            return "the UDP guard's per-source rate reached: --udp-rate " + settings.packetsPerSecond()
                    + " replies/s with --udp-burst " + settings.burstPackets() + ", and "
                    + settings.bytesPerSecond() / 1024 + " KiB/s of replies, per source address (raise them"
                    + ON_TRUSTED_NETWORKS + ")";
        });
        ratio = warnings.counter(log, listener, "dropped", "datagram", () -> {
            ReflectionGuardSettings settings = guard.get();
            return "the UDP guard's reply/request byte ratio reached: replies to a source may carry at most "
                    + format(settings.replyRatio()) + "x the bytes it sent, plus " + settings.ratioBurstBytes()
                    + " bytes refilling at " + settings.ratioRefillBytesPerSecond() + " B/s (short requests with "
                    + "longer acks run into it" + ON_TRUSTED_NETWORKS + ")";
        });
    }

    @Override
    public void dropped(DropReason reason, InetSocketAddress sender) {
        if (reason == DropReason.RATE_LIMITED) {
            rate.record(sender.getAddress());
        } else if (reason == DropReason.RATIO_EXCEEDED) {
            ratio.record(sender.getAddress());
        }
    }

    private static String format(double ratio) {
        return ratio == Math.rint(ratio) ? Long.toString((long) ratio) : Double.toString(ratio);
    }
}
