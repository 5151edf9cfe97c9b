package io.echoack.client.net;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;

/**
 * One request on its way through the pipeline and then waiting for its reply. It is the message written to
 * the channel; the reply handler queues it, owns its timer and completes its future. Its mutable fields are
 * touched on the channel's event loop only.
 */
final class PendingReply {

    final byte[] payload;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();

    /** How many times it was sent (datagrams resend after a timeout). */
    int attempts;

    /** The reply timeout (of the current attempt). */
    ScheduledFuture<?> timer;

    PendingReply(byte[] payload) {
        this.payload = payload;
    }

    void complete(byte[] reply) {
        cancelTimer();
        future.complete(reply);
    }

    void fail(Throwable cause) {
        cancelTimer();
        future.completeExceptionally(cause);
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
