package io.echoack.server.metrics;

/**
 * Messages and bytes one channel received and sent since they were last handed to its
 * {@link ListenerMetrics}: counted in plain fields on the channel's event loop, published once per read
 * burst, so that a message costs no shared-counter update. One per channel; not thread-safe.
 */
public final class MessageTally {

    private long received;
    private long receivedBytes;
    private long sent;
    private long sentBytes;

    /** One message of {@code bytes} received. */
    public void received(long bytes) {
        received++;
        receivedBytes += bytes;
    }

    /** One reply of {@code bytes} sent. */
    public void sent(long bytes) {
        sent++;
        sentBytes += bytes;
    }

    /** True when a message was received since the last {@link #publishTo}. */
    public boolean hasReceived() {
        return received > 0;
    }

    /** Adds what was counted to {@code metrics} and starts again from zero. */
    public void publishTo(ListenerMetrics metrics) {
        if (received > 0) {
            metrics.received(received, receivedBytes);
            received = 0;
            receivedBytes = 0;
        }
        if (sent > 0) {
            metrics.sent(sent, sentBytes);
            sent = 0;
            sentBytes = 0;
        }
    }
}
