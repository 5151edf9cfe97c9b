package io.echoack.server.metrics;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.limits.CloseReason;
import io.echoack.server.metrics.ListenerMetrics.DropReason;
import io.echoack.server.metrics.ListenerMetrics.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ListenerMetricsTest {

    private static String scrape(ServerMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return out.toString(US_ASCII);
    }

    @Test
    void eachErrorKindIsCountedUnderItsOwnLabelAndEndpoint() throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        ListenerMetrics a = metrics.listener("tcp://a");
        ListenerMetrics b = metrics.listener("tcp://b");
        for (ErrorKind kind : ErrorKind.values()) {
            for (int i = 0; i <= kind.ordinal(); i++) {
                a.error(kind);
            }
        }
        b.error(ErrorKind.TLS);
        String text = scrape(metrics);
        assertTrue(text.contains("echoack_errors_total{endpoint=\"tcp://a\",kind=\"frame_too_long\"} 1.0"), text);
        assertTrue(text.contains("echoack_errors_total{endpoint=\"tcp://a\",kind=\"io\"} 2.0"), text);
        assertTrue(text.contains("echoack_errors_total{endpoint=\"tcp://a\",kind=\"tls\"} 3.0"), text);
        assertTrue(text.contains("echoack_errors_total{endpoint=\"tcp://a\",kind=\"unexpected\"} 4.0"), text);
        assertTrue(text.contains("echoack_errors_total{endpoint=\"tcp://b\",kind=\"tls\"} 1.0"), text);
        assertFalse(text.contains("echoack_errors_total{endpoint=\"tcp://b\",kind=\"io\"}"), text);
    }

    @Test
    void eachCloseReasonIsCountedUnderItsLabel() throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        ListenerMetrics listener = metrics.listener("tcp://a");
        for (CloseReason reason : CloseReason.values()) {
            for (int i = 0; i <= reason.ordinal(); i++) {
                listener.connectionClosedBy(reason);
            }
        }
        String text = scrape(metrics);
        for (CloseReason reason : CloseReason.values()) {
            String line = "echoack_connections_closed_total{endpoint=\"tcp://a\",reason=\"" + reason.label() + "\"} "
                    + (reason.ordinal() + 1) + ".0";
            assertTrue(text.contains(line), line + " in\n" + text);
        }
    }

    @Test
    void eachInjectedFaultIsCountedUnderItsKey() throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        ListenerMetrics listener = metrics.listener("tcp://a");
        for (io.echoack.common.fault.FaultKey fault : io.echoack.common.fault.FaultKey.values()) {
            for (int i = 0; i <= fault.ordinal(); i++) {
                listener.faultInjected(fault);
            }
        }
        String text = scrape(metrics);
        for (io.echoack.common.fault.FaultKey fault : io.echoack.common.fault.FaultKey.values()) {
            String line = "echoack_faults_injected_total{endpoint=\"tcp://a\",fault=\"" + fault.id() + "\"} "
                    + (fault.ordinal() + 1) + ".0";
            assertTrue(text.contains(line), line + " in\n" + text);
        }
    }

    @Test
    void droppedDatagramsAreCountedByReason() throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        ListenerMetrics listener = metrics.listener("udp://a");
        listener.datagramDropped(DropReason.RATE_LIMITED);
        listener.datagramDropped(DropReason.RATE_LIMITED);
        listener.datagramDropped(DropReason.EMPTY);
        listener.datagramDropped(DropReason.EMPTY);
        listener.datagramDropped(DropReason.NOT_ALLOWED);
        String text = scrape(metrics);
        assertTrue(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://a\",reason=\"rate_limited\"} 2.0"),
                text);
        assertTrue(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://a\",reason=\"empty\"} 2.0"), text);
        assertTrue(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://a\",reason=\"not_allowed\"} 1.0"),
                text);
        assertFalse(text.contains("reason=\"privileged_port\""), "only what happened shows: " + text);
    }

    /** The labels are an interface (dashboards and alerts select on them, the README lists them): exactly these. */
    @Test
    void eachDropReasonIsCountedUnderItsLabel() throws IOException {
        List<String> labels = List.of("not_allowed", "source_port_zero", "privileged_port", "broadcast_or_multicast",
                "rate_limited", "ratio_exceeded", "no_reply_address", "empty");
        assertEquals(labels, Stream.of(DropReason.values()).map(DropReason::label).toList());
        ServerMetrics metrics = new ServerMetrics();
        ListenerMetrics a = metrics.listener("udp://a");
        ListenerMetrics b = metrics.listener("udp://b");
        for (DropReason reason : DropReason.values()) {
            for (int i = 0; i <= reason.ordinal(); i++) {
                a.datagramDropped(reason);
            }
        }
        b.datagramDropped(DropReason.EMPTY);
        String text = scrape(metrics);
        for (int i = 0; i < labels.size(); i++) {
            String line = "echoack_datagrams_dropped_total{endpoint=\"udp://a\",reason=\"" + labels.get(i) + "\"} "
                    + (i + 1) + ".0";
            assertTrue(text.contains(line), line + " in\n" + text);
        }
        assertTrue(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://b\",reason=\"empty\"} 1.0"), text);
        assertFalse(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://b\",reason=\"not_allowed\"}"),
                text);
    }

    @Test
    void onlyWhatHappenedShowsNoSeriesIsCreatedAhead() throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        metrics.listener("tcp://a").error(ErrorKind.IO);
        String text = scrape(metrics);
        assertTrue(text.contains("kind=\"io\""), text);
        assertFalse(text.contains("kind=\"tls\""), text);
        assertFalse(text.contains("echoack_connections_closed_total{"), text);
        assertFalse(text.contains("echoack_datagrams_dropped_total{"), text);
    }

    @Test
    void anErrorKindsLabelIsOneStringNotOnePerCall() {
        for (ErrorKind kind : ErrorKind.values()) {
            assertSame(kind.label(), kind.label(), kind.name());
        }
    }

    @Test
    void aDropReasonsLabelIsOneStringNotOnePerCall() {
        for (DropReason reason : DropReason.values()) {
            assertSame(reason.label(), reason.label(), reason.name());
        }
    }
}
