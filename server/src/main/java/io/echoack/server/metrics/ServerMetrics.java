package io.echoack.server.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * The server's metrics, in their own registry (never the global one, so that several servers in one JVM
 * do not mix). Every series is labelled with the endpoint it belongs to; {@link #listener} hands out the
 * per-endpoint view the pipelines record into. Rendered in the Prometheus text format by {@link #writeTo}.
 */
public final class ServerMetrics {

    /** Content type of {@link #writeTo}'s output. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    final Gauge connectionsOpen = Gauge.builder()
            .name("echoack_connections_open").help("Stream connections open now")
            .labelNames("endpoint").withoutExemplars().register(registry);
    final Counter connectionsTotal = Counter.builder()
            .name("echoack_connections_total").help("Stream connections accepted")
            .labelNames("endpoint").withoutExemplars().register(registry);
    final Counter messagesReceived = Counter.builder()
            .name("echoack_messages_received_total").help("Messages received (lines, frames, reads or datagrams)")
            .labelNames("endpoint").withoutExemplars().register(registry);
    final Counter messagesSent = Counter.builder()
            .name("echoack_messages_sent_total").help("Replies sent")
            .labelNames("endpoint").withoutExemplars().register(registry);
    final Counter bytesReceived = Counter.builder()
            .name("echoack_bytes_received_total").help("Bytes received in messages, framing included")
            .labelNames("endpoint").withoutExemplars().register(registry);
    final Counter bytesSent = Counter.builder()
            .name("echoack_bytes_sent_total").help("Bytes sent in replies, framing included")
            .labelNames("endpoint").withoutExemplars().register(registry);
    final Counter connectionsRefused = Counter.builder()
            .name("echoack_connections_closed_total").help("Connections the server closed on its own, by reason: "
                    + "max_connections, max_connections_per_ip, not_allowed, idle_timeout, frame_timeout, "
                    + "tls_handshake_failed, tls_handshake_timeout, proxy_untrusted, proxy_invalid, proxy_missing, "
                    + "proxy_timeout, fault_reset, fault_close")
            .labelNames("endpoint", "reason").withoutExemplars().register(registry);
    final Counter errors = Counter.builder()
            .name("echoack_errors_total").help("Errors by kind: frame_too_long, io, tls, unexpected")
            .labelNames("endpoint", "kind").withoutExemplars().register(registry);
    final Counter datagramsDropped = Counter.builder()
            .name("echoack_datagrams_dropped_total").help("Datagrams not answered, by reason")
            .labelNames("endpoint", "reason").withoutExemplars().register(registry);
    final Counter faultsInjected = Counter.builder()
            .name("echoack_faults_injected_total").help("Faults injected on purpose (the listener's ?delay=, ?reset=, "
                    + "?drop=, ...), by fault")
            .labelNames("endpoint", "fault").withoutExemplars().register(registry);
    final Histogram replyLatency = Histogram.builder()
            .name("echoack_reply_latency_seconds")
            .help("Time from reading a message to writing its reply to the socket (the wait of a read's first "
                    + "message), sampled: a connection's first read and every 16th after it")
            .classicOnly()
            .classicUpperBounds(0.000_010, 0.000_025, 0.000_050, 0.000_100, 0.000_250, 0.000_500, 0.001, 0.0025,
                    0.005, 0.010, 0.025, 0.050, 0.100, 0.250, 1.0)
            .labelNames("endpoint").withoutExemplars().register(registry);

    /**
     * Exposes {@code echoack_connection_log_dropped_total}: connection log lines dropped because standard
     * output did not keep up, as {@code dropped} counts them. Called once, when the connection log is on.
     */
    public void connectionLogDropped(LongSupplier dropped) {
        CounterWithCallback.builder()
                .name("echoack_connection_log_dropped_total")
                .help("Connection log lines dropped because standard output did not keep up")
                .callback(callback -> callback.call(dropped.getAsLong()))
                .register(registry);
    }

    /** The series of one endpoint, created on first use. */
    public ListenerMetrics listener(String endpoint) {
        return new ListenerMetrics(this, endpoint);
    }

    /** Writes every series in the Prometheus text exposition format (version 0.0.4). */
    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }
}
