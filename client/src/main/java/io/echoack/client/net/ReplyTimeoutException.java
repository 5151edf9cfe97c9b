package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import java.time.Duration;

/**
 * No reply arrived in time. On streams the timeout runs once per request, and the connection is closed
 * afterwards (a late reply could no longer be matched to its request). On datagrams it runs once per
 * attempt, and the request was sent {@link #attempts()} times.
 */
public final class ReplyTimeoutException extends EchoAckClientException {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;
    private final int attempts;

    public ReplyTimeoutException(Endpoint endpoint, Duration timeout, int attempts) {
        super(endpoint, "no reply from " + endpoint.address() + " within " + Durations.format(timeout)
                + (attempts > 1 ? " (" + attempts + " attempts)" : ""));
        this.timeout = timeout;
        this.attempts = attempts;
    }

    /** The timeout that expired (per attempt on datagrams). */
    public Duration timeout() {
        return timeout;
    }

    /** How many times the request was sent: 1 on streams, 1 + retries on datagrams. */
    public int attempts() {
        return attempts;
    }

    @Override
    FailureKind ownKind() {
        return FailureKind.TIMEOUT;
    }
}
