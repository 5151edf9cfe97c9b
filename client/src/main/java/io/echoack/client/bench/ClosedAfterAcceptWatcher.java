package io.echoack.client.bench;

import io.echoack.client.net.FailureKind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * Tells a stream connection the server closed right after accepting it from other failures: closed (or
 * reset) by the server before it sent a single byte, within {@link #WINDOW_NANOS} of connecting. That is what
 * a server at a connection limit does (echoack-server over its {@code maxConnectionsPerIp} or
 * {@code maxConnections} accepts and closes at once), and a bare "closed" or "reset" would not say so. Counts
 * each such connection, and marks its channel with how the server ended it, FIN ({@link Counter#CLOSED}) or RST
 * ({@link Counter#RESET}): a TLS handshake the server cut this way counts as that, not as a TLS failure
 * ({@link #counter}). First in the pipeline, before TLS, and gone at the first byte received, so
 * that the message path never passes it.
 */
final class ClosedAfterAcceptWatcher extends ChannelDuplexHandler {

    /**
     * How soon after connecting a close counts as "right after accept": generous, because the connect
     * completes when the server's kernel accepts, and a busy server's accept loop may take seconds to get to
     * the connection and close it (1 s missed them all on a loaded 2-core machine); yet well below the idle
     * timeouts servers use (echoack: 300 s), the other reason a server closes a connection it never answered.
     */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final AttributeKey<Counter> CLOSED_AFTER_ACCEPT =
            AttributeKey.valueOf(ClosedAfterAcceptWatcher.class, "closedAfterAccept");

    private final AtomicInteger closedAfterAccept;
    private long activeAt;
    private boolean closedByUs;
    private boolean resetByServer;

    /** @param closedAfterAccept incremented for each connection the server closed right after accepting it */
    ClosedAfterAcceptWatcher(AtomicInteger closedAfterAccept) {
        this.closedAfterAccept = closedAfterAccept;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activeAt = System.nanoTime();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this); // the server answered: whatever happens next, it is not this
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closedByUs && cause instanceof IOException && !(cause instanceof SSLException)) {
            resetByServer = true; // e.g. ECONNRESET: a server closing with our message unread resets
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closedByUs = true;
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if ((!closedByUs || resetByServer) && System.nanoTime() - activeAt < WINDOW_NANOS) {
            closedAfterAccept.incrementAndGet();
            ctx.channel().attr(CLOSED_AFTER_ACCEPT).set(resetByServer ? Counter.RESET : Counter.CLOSED);
        }
        ctx.fireChannelInactive();
    }

    /**
     * What a failure of {@code channel} counts as: {@link Counter#CLOSED} or {@link Counter#RESET} when the server
     * closed or reset it right after accepting it (whatever its TLS handshake then said), else the counter of
     * {@code cause}'s kind.
     */
    static Counter counter(Channel channel, Throwable cause) {
        Counter closedAfterAccept = channel.attr(CLOSED_AFTER_ACCEPT).get();
        return closedAfterAccept != null ? closedAfterAccept : Counter.of(FailureKind.of(cause));
    }

    /**
     * What a failed connect of {@code channel} counts as ({@link #counter}); a connect that failed with a reset
     * reached a server that accepted the connection and reset it before the connect completed here (with no
     * listener the connect is refused instead), so it is counted in {@code closedAfterAccept} too.
     */
    static Counter connectFailed(Channel channel, Throwable cause, AtomicInteger closedAfterAccept) {
        if (channel.attr(CLOSED_AFTER_ACCEPT).get() == null && FailureKind.isReset(cause)) {
            closedAfterAccept.incrementAndGet();
            return Counter.RESET;
        }
        return counter(channel, cause);
    }
}
