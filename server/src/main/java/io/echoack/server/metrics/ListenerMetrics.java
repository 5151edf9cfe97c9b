package io.echoack.server.metrics;

import io.echoack.common.fault.FaultKey;
import io.echoack.server.limits.CloseReason;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The metrics of one endpoint, with its labelled series resolved once, so that recording is a field or
 * array access and an update of a striped counter: no label lookup, no allocation. The series of an error
 * kind, a close reason or a datagram drop reason is resolved on its first use (so that only what happened
 * shows in {@code /metrics}), then kept in a slot of its own, by the enum's ordinal. Thread-safe; hot paths
 * record once per read, not per message.
 */
public final class ListenerMetrics {

    /** Error kinds, the {@code kind} label of {@code echoack_errors_total}. */
    public enum ErrorKind {
        FRAME_TOO_LONG, IO, TLS, UNEXPECTED;

        private final String label = name().toLowerCase(Locale.ROOT);

        /** The metric label: {@code frame_too_long}, {@code io}, {@code tls}, {@code unexpected}. */
        String label() {
            return label;
        }
    }

    /** Why a datagram got no reply, the {@code reason} label of {@code echoack_datagrams_dropped_total}. */
    public enum DropReason {
        /** Its source is outside every allowed range. */
        NOT_ALLOWED,
        /** The reflection guard refused it: source port 0. */
        SOURCE_PORT_ZERO,
        /** The reflection guard refused it: a privileged source port not allowed explicitly. */
        PRIVILEGED_PORT,
        /** The reflection guard refused it: a broadcast, multicast or unspecified source address. */
        BROADCAST_OR_MULTICAST,
        /** The reflection guard refused it: its source is over its packet or reply-byte rate. */
        RATE_LIMITED,
        /** The reflection guard refused it: its reply would exceed the reply/request byte ratio. */
        RATIO_EXCEEDED,
        /** It has no address to answer to: an unbound Unix datagram client, or UDP source port 0 unguarded. */
        NO_REPLY_ADDRESS,
        /** An empty datagram in echo mode: its echo would be an empty datagram, which is never sent. */
        EMPTY;

        private final String label = name().toLowerCase(Locale.ROOT);

        /** The metric label: {@code not_allowed}, {@code source_port_zero}, ..., {@code empty}. */
        public String label() {
            return label;
        }
    }

    private static final ErrorKind[] ERROR_KINDS = ErrorKind.values();
    private static final CloseReason[] CLOSE_REASONS = CloseReason.values();
    private static final DropReason[] DROP_REASONS = DropReason.values();
    private static final FaultKey[] FAULTS = FaultKey.values();

    private final ServerMetrics metrics;
    private final String endpoint;
    private final GaugeDataPoint connectionsOpen;
    private final CounterDataPoint connectionsTotal;
    private final CounterDataPoint messagesReceived;
    private final CounterDataPoint messagesSent;
    private final CounterDataPoint bytesReceived;
    private final CounterDataPoint bytesSent;
    private final DistributionDataPoint replyLatency;
    /** By {@link ErrorKind#ordinal()}; a slot is null until that kind is first recorded. */
    private final AtomicReferenceArray<CounterDataPoint> errors = new AtomicReferenceArray<>(ERROR_KINDS.length);
    /** By {@link CloseReason#ordinal()}; a slot is null until that reason is first recorded. */
    private final AtomicReferenceArray<CounterDataPoint> closes = new AtomicReferenceArray<>(CLOSE_REASONS.length);
    /** By {@link DropReason#ordinal()}; a slot is null until that reason is first recorded. */
    private final AtomicReferenceArray<CounterDataPoint> drops = new AtomicReferenceArray<>(DROP_REASONS.length);
    /** By {@link FaultKey#ordinal()}; a slot is null until that fault is first injected. */
    private final AtomicReferenceArray<CounterDataPoint> faults = new AtomicReferenceArray<>(FAULTS.length);

    ListenerMetrics(ServerMetrics metrics, String endpoint) {
        this.metrics = metrics;
        this.endpoint = endpoint;
        this.connectionsOpen = metrics.connectionsOpen.labelValues(endpoint);
        this.connectionsTotal = metrics.connectionsTotal.labelValues(endpoint);
        this.messagesReceived = metrics.messagesReceived.labelValues(endpoint);
        this.messagesSent = metrics.messagesSent.labelValues(endpoint);
        this.bytesReceived = metrics.bytesReceived.labelValues(endpoint);
        this.bytesSent = metrics.bytesSent.labelValues(endpoint);
        this.replyLatency = metrics.replyLatency.labelValues(endpoint);
    }

    public void connectionOpened() {
        connectionsOpen.inc();
        connectionsTotal.inc();
    }

    public void connectionClosed() {
        connectionsOpen.dec();
    }

    public void received(long messages, long bytes) {
        messagesReceived.inc(messages);
        bytesReceived.inc(bytes);
    }

    public void sent(long messages, long bytes) {
        messagesSent.inc(messages);
        bytesSent.inc(bytes);
    }

    public void replyLatency(long nanos) {
        replyLatency.observe(nanos / 1e9);
    }

    public void error(ErrorKind kind) {
        slot(errors, kind.ordinal(), metrics.errors, kind.label()).inc();
    }

    /** A connection the server closed on its own, counted under {@link CloseReason#label()}. */
    public void connectionClosedBy(CloseReason reason) {
        slot(closes, reason.ordinal(), metrics.connectionsRefused, reason.label()).inc();
    }

    /** A datagram that got no reply, counted under {@link DropReason#label()}. */
    public void datagramDropped(DropReason reason) {
        slot(drops, reason.ordinal(), metrics.datagramsDropped, reason.label()).inc();
    }

    /** A fault injected on purpose, counted under its key ({@code delay}, {@code reset}, {@code drop}, ...). */
    public void faultInjected(FaultKey fault) {
        slot(faults, fault.ordinal(), metrics.faultsInjected, fault.id()).inc();
    }

    /**
     * The series in {@code slots[index]}, resolved from {@code family} on first use. Two threads racing on
     * the first use resolve the same series (the family keeps one per label set), so either write is right.
     */
    private CounterDataPoint slot(AtomicReferenceArray<CounterDataPoint> slots, int index, Counter family,
                                  String label) {
        CounterDataPoint series = slots.get(index);
        if (series == null) {
            series = family.labelValues(endpoint, label);
            slots.set(index, series);
        }
        return series;
    }
}
