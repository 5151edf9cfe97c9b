package io.echoack.server.metrics;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.limits.CloseReason;
import io.echoack.server.metrics.ListenerMetrics.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
    void droppedDatagramsAreCountedByReason() throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        ListenerMetrics listener = metrics.listener("udp://a");
        listener.datagramDropped("rate_limited");
        listener.datagramDropped("rate_limited");
        listener.datagramDropped(new String("empty".toCharArray())); // the word counts, not the instance
        listener.datagramDropped("empty");
        listener.datagramDropped("not_allowed");
        String text = scrape(metrics);
        assertTrue(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://a\",reason=\"rate_limited\"} 2.0"),
                text);
        assertTrue(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://a\",reason=\"empty\"} 2.0"), text);
        assertTrue(text.contains("echoack_datagrams_dropped_total{endpoint=\"udp://a\",reason=\"not_allowed\"} 1.0"),
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
}
