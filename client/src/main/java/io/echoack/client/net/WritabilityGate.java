package io.echoack.client.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells a caller outside the event loop when the channel's writability may have changed, so that
 * {@link ChannelConnection#request} can wait for a full outbound buffer to drain instead of growing it. It only
 * signals; the waiting happens on the caller's thread. Not sharable: one per channel.
 *
 * <p>A waiter takes {@link #nextChange()} first and checks {@code isWritable()} after: Netty flips the flag
 * before it fires the event, so a change between the two is never missed.
 */
final class WritabilityGate extends ChannelInboundHandlerAdapter {

    private final AtomicReference<CompletableFuture<Void>> next = new AtomicReference<>();

    /** Completes at the next writability change or when the channel closes, whichever comes first. */
    CompletableFuture<Void> nextChange() {
        CompletableFuture<Void> created = new CompletableFuture<>();
        CompletableFuture<Void> current = next.compareAndExchange(null, created);
        return current != null ? current : created;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        signal();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        signal();
        ctx.fireChannelInactive();
    }

    private void signal() {
        CompletableFuture<Void> waiting = next.getAndSet(null);
        if (waiting != null) {
            waiting.complete(null);
        }
    }
}
