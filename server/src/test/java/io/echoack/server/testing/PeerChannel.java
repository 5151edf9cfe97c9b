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
        this(null, remote, handlers);
    }

    /** @param local the local address, or null for the EmbeddedChannel's own */
    public PeerChannel(SocketAddress local, SocketAddress remote, ChannelHandler... handlers) {
        super(DefaultChannelId.newInstance(), false, false, handlers);
        this.local = local;
        this.remote = remote;
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
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
