package io.echoack.server.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * The client address of a stream connection, for everything that names the client (the {@code --allow} gate,
 * the per-address limits, the message and connection logs, identity replies): the source a trusted PROXY
 * header gave, or the socket's peer when the listener takes no header, the header was {@code LOCAL} or
 * (with {@code ?proxy=optional}) none came.
 */
public final class ConnectionAddresses {

    /** Set on a connection's channel once its PROXY header is accepted; absent otherwise. */
    public static final AttributeKey<ProxiedConnection> PROXIED = AttributeKey.valueOf("echoack.proxied");

    private ConnectionAddresses() {
    }

    /** The client's address: the PROXY header's source when one was accepted (and not LOCAL), else the peer. */
    public static SocketAddress client(Channel channel) {
        ProxiedConnection proxied = channel.attr(PROXIED).get();
        return proxied != null && !proxied.local() ? proxied.source() : channel.remoteAddress();
    }

    /** What the connection's PROXY header said, or null when none was accepted. */
    public static ProxiedConnection proxied(Channel channel) {
        return channel.attr(PROXIED).get();
    }
}
