package io.echoack.server.limits;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * Enforces {@code --max-connections} and {@code --max-connections-per-ip}: a connection over a limit is
 * accepted by the kernel (there is no refusing at the TCP level without a backlog of half-open peers) and
 * closed here at once, before anything is read, counted with {@link CloseReason#MAX_CONNECTIONS} or
 * {@link CloseReason#MAX_CONNECTIONS_PER_IP}. Open connections are never touched.
 *
 * <p>Place it first in each accepted connection's pipeline (after a {@code SourceFilterHandler}, so that
 * connections from outside the allowed ranges are not even counted). One instance per listener, sharing
 * the server's one {@link ConnectionCounter}, with that listener's {@link CloseListener}. An admitted
 * connection leaves a small per-connection handler in its place that uncounts it when it closes, and
 * otherwise costs reads nothing.
 */
@Sharable
public final class ConnectionLimiter extends AdmissionHandler {

    private final ConnectionCounter counter;

    /**
     * @param counter  the server-wide counts and limits
     * @param listener told about each refused connection
     */
    public ConnectionLimiter(ConnectionCounter counter, CloseListener listener) {
        super(listener);
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    @Override
    protected CloseReason admit(ChannelHandlerContext ctx) {
        return counter.tryAcquire(addressOf(ctx.channel()));
    }

    @Override
    protected ChannelHandler admitted(ChannelHandlerContext ctx) {
        return new Release(counter, addressOf(ctx.channel()));
    }

    private static InetAddress addressOf(Channel ch) {
        SocketAddress remote = ch.remoteAddress();
        return remote instanceof InetSocketAddress inet && !inet.isUnresolved() ? inet.getAddress() : null;
    }

    /** Uncounts one admitted connection when it closes (or leaves the pipeline), exactly once. */
    static final class Release extends ChannelInboundHandlerAdapter {
        private final ConnectionCounter counter;
        private final InetAddress address;
        private boolean released;

        Release(ConnectionCounter counter, InetAddress address) {
            this.counter = counter;
            this.address = address;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            release();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            release();
        }

        private void release() {
            if (!released) {
                released = true;
                counter.release(address);
            }
        }
    }
}
