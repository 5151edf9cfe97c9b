package io.echoack.server.limits;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
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
 * the server's one {@link ConnectionCounter}, with that listener's {@link CloseListener}. It stays in the
 * pipeline of an admitted connection, to uncount it when it closes: it allocates nothing per connection,
 * and costs reads nothing (it handles no read events). It must not be removed from an open connection's
 * pipeline, or that connection would stay counted.
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

    /** Stays, to uncount the connection when it closes. */
    @Override
    protected boolean staysAfterAdmission() {
        return true;
    }

    /**
     * Uncounts an admitted connection (only admitted ones get here: a refused one has a sink in this
     * handler's place). Its remote address is the one counted: a channel keeps it once read.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counter.release(addressOf(ctx.channel()));
        ctx.fireChannelInactive();
    }

    private static InetAddress addressOf(Channel ch) {
        SocketAddress remote = ch.remoteAddress();
        return remote instanceof InetSocketAddress inet && !inet.isUnresolved() ? inet.getAddress() : null;
    }
}
