package io.echoack.client.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The connection set-ups of the measured phase on one event loop: how many connections opened, how long each
 * connect took (connect() called to channel active) and, on {@code tls://}, each TLS handshake (channel active to
 * handshake done), in nanoseconds, in histograms shaped as the latency's. Written only by that event loop's
 * thread ({@link ConnectTimer}); read by the runner at the end.
 */
final class ConnectStats {

    private final SingleWriterRecorder connect =
            new SingleWriterRecorder(1, PhaseStats.HIGHEST_LATENCY_NANOS, PhaseStats.SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder handshake =
            new SingleWriterRecorder(1, PhaseStats.HIGHEST_LATENCY_NANOS, PhaseStats.SIGNIFICANT_DIGITS);
    private volatile long opened;

    /** A connection opened after a connect of {@code nanos}. Event-loop thread only. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer
    void connected(long nanos) {
        opened = opened + 1;
        connect.recordValue(clamp(nanos));
    }

    /** A TLS handshake completed in {@code nanos}. Event-loop thread only. */
    void handshake(long nanos) {
        handshake.recordValue(clamp(nanos));
    }

    private static long clamp(long nanos) {
        return Math.max(1, Math.min(nanos, PhaseStats.HIGHEST_LATENCY_NANOS));
    }

    /** Connections opened so far; any thread. */
    long opened() {
        return opened;
    }

    /** Adds what was recorded since the last call to {@code connects} and {@code handshakes}. One reading thread. */
    void drainInto(Histogram connects, Histogram handshakes) {
        connects.add(connect.getIntervalHistogram());
        handshakes.add(handshake.getIntervalHistogram());
    }
}
