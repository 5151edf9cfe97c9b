package io.echoack.client.net;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;

/**
 * Counts a {@link PendingReply} as its payload's size. A request written from a caller's thread waits in the
 * event loop's task queue before it reaches the outbound buffer; Netty counts it towards the channel's pending
 * bytes meanwhile, by this estimate, so that writability covers the requests on their way too (the default
 * estimator would count 8 bytes for any message that is not a buffer).
 */
final class RequestSizeEstimator implements MessageSizeEstimator {

    static final RequestSizeEstimator INSTANCE = new RequestSizeEstimator();

    private static final Handle DEFAULT = DefaultMessageSizeEstimator.DEFAULT.newHandle();
    private static final Handle HANDLE = message -> message instanceof PendingReply request
            ? request.payload.length : DEFAULT.size(message);

    private RequestSizeEstimator() {
    }

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
