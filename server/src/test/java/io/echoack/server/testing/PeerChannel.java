package io.echoack.server.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An EmbeddedChannel with a peer address (and, if given, a local address) of our choosing, registered (and
 * active) once they are known.
 */
public final class PeerChannel extends EmbeddedChannel {

    private final SocketAddress local;
    private final SocketAddress remote;

    public PeerChannel(SocketAddress remote, ChannelHandler... handlers) {
        this(null, remote, false, handlers);
    }

    /**
     * @param frozenTime whether the channel's clock stands still from before it becomes active, moving only when
     *                   a test advances it (timers set when it becomes active are then exact)
     */
    public PeerChannel(SocketAddress remote, boolean frozenTime, ChannelHandler... handlers) {
        this(null, remote, frozenTime, handlers);
    }

    /** @param local the local address, or null for the EmbeddedChannel's own */
    public PeerChannel(SocketAddress local, SocketAddress remote, ChannelHandler... handlers) {
        this(local, remote, false, handlers);
    }

    private PeerChannel(SocketAddress local, SocketAddress remote, boolean frozenTime, ChannelHandler... handlers) {
        super(DefaultChannelId.newInstance(), false, false, frozenTime ? new ChannelHandler[0] : handlers);
        this.local = local;
        this.remote = remote;
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (frozenTime) {
            // the clock can only be frozen once registered: the handlers join then, and see it become active
            freezeTime();
            pipeline().addLast(handlers);
            pipeline().fireChannelActive();
        }
    }

    /** A peer at {@code ip}, port 40000. */
    public static PeerChannel from(String ip, ChannelHandler... handlers) {
        return new PeerChannel(new InetSocketAddress(ip, 40000), handlers);
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local != null ? local : super.localAddress0();
    }
}
