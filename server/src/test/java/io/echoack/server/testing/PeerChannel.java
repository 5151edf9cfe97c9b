package io.echoack.server.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** An EmbeddedChannel with a peer address of our choosing, registered (and active) once that is known. */
public final class PeerChannel extends EmbeddedChannel {

    private final SocketAddress remote;

    public PeerChannel(SocketAddress remote, ChannelHandler... handlers) {
        super(DefaultChannelId.newInstance(), false, false, handlers);
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
}
