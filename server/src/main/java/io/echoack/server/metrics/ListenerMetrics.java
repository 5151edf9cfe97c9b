package io.echoack.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * The metrics of one endpoint, with its labelled series looked up once, so that recording costs one
 * striped-counter update and no map lookup. Thread-safe; hot paths record once per read, not per message.
 */
public final class ListenerMetrics {

    /** Error kinds, the {@code kind} label of {@code echoack_errors_total}. */
    public enum ErrorKind {
        FRAME_TOO_LONG, IO, TLS, UNEXPECTED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final ServerMetrics metrics;
    private final String endpoint;
    private final GaugeDataPoint connectionsOpen;
    private final CounterDataPoint connectionsTotal;
    private final CounterDataPoint messagesReceived;
    private final CounterDataPoint messagesSent;
    private final CounterDataPoint bytesReceived;
    private final CounterDataPoint bytesSent;
    private final DistributionDataPoint replyLatency;

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
        metrics.errors.labelValues(endpoint, kind.label()).inc();
    }

    /** A connection the server closed on its own; {@code reason} is a short snake_case word. */
    public void connectionClosedBy(String reason) {
        metrics.connectionsRefused.labelValues(endpoint, reason).inc();
    }

    /** A datagram that got no reply; {@code reason} is a short snake_case word. */
    public void datagramDropped(String reason) {
        metrics.datagramsDropped.labelValues(endpoint, reason).inc();
    }
}
