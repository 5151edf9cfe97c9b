package io.echoack.server.limits;

import io.echoack.server.proxy.ConnectionAddresses;
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
 * {@link CloseReason#MAX_CONNECTIONS_PER_IP}. Open connections are never touched. The address counted per
 * address is the connection's client ({@link ConnectionAddresses#client}): the peer, or the source a PROXY
 * protocol header gave.
 *
 * <p>Place it first in each accepted connection's pipeline (after a {@code SourceFilterHandler}, so that
 * connections from outside the allowed ranges are not even counted). On a PROXY protocol listener the client
 * is known only once the header is read, so the work is split in two ({@link Counts}): one limiter counting the
 * total goes first, before the header, so that connections still sending theirs hold a slot too; another,
 * after the header (and the source filter), counts the client's address. One instance per listener (and
 * {@link Counts}), sharing the server's one {@link ConnectionCounter}, with that listener's
 * {@link CloseListener}. It stays in the pipeline of an admitted connection, to uncount it when it closes: it
 * allocates nothing per connection, and costs reads nothing (it handles no read events). It must not be
 * removed from an open connection's pipeline, or that connection would stay counted.
 */
@Sharable
public final class ConnectionLimiter extends AdmissionHandler {

    /** Which limits a limiter counts a connection toward. */
    public enum Counts {
        /** Both, when the connection becomes active: the peer is the client. */
        ALL,
        /** {@code --max-connections} only, before a PROXY protocol header says who the client is. */
        TOTAL,
        /** {@code --max-connections-per-ip} only, on the client's address, after a PROXY protocol header. */
        PER_CLIENT_ADDRESS
    }

    private final ConnectionCounter counter;
    private final Counts counts;

    /**
     * A limiter counting both limits.
     *
     * @param counter  the server-wide counts and limits
     * @param listener told about each refused connection
     */
    public ConnectionLimiter(ConnectionCounter counter, CloseListener listener) {
        this(counter, Counts.ALL, listener);
    }

    /**
     * @param counter  the server-wide counts and limits
     * @param counts   which of them this one counts
     * @param listener told about each refused connection
     */
    public ConnectionLimiter(ConnectionCounter counter, Counts counts, CloseListener listener) {
        super(listener);
        this.counter = Objects.requireNonNull(counter, "counter");
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    @Override
    protected CloseReason admit(ChannelHandlerContext ctx) {
        return switch (counts) {
            case ALL -> counter.tryAcquire(clientAddress(ctx.channel()));
            case TOTAL -> counter.tryAcquireTotal();
            case PER_CLIENT_ADDRESS -> counter.tryAcquireAddress(clientAddress(ctx.channel()));
        };
    }

    /** Stays, to uncount the connection when it closes. */
    @Override
    protected boolean staysAfterAdmission() {
        return true;
    }

    /**
     * Uncounts an admitted connection (only admitted ones get here: a refused one has a sink in this
     * handler's place), exactly as it was counted: the client address is the same as when it was counted (a
     * channel keeps its remote address once read, and a PROXY header's source is set once, before the
     * connection reached this handler).
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        switch (counts) {
            case ALL -> counter.release(clientAddress(ctx.channel()));
            case TOTAL -> counter.releaseTotal();
            case PER_CLIENT_ADDRESS -> counter.releaseAddress(clientAddress(ctx.channel()));
        }
        ctx.fireChannelInactive();
    }

    private static InetAddress clientAddress(Channel ch) {
        SocketAddress client = ConnectionAddresses.client(ch);
        return client instanceof InetSocketAddress inet && !inet.isUnresolved() ? inet.getAddress() : null;
    }
}
