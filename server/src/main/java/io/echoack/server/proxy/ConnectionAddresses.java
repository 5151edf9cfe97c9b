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
        ProxiedConnection proxied = proxied(channel);
        return proxied != null && !proxied.local() ? proxied.source() : channel.remoteAddress();
    }

    /**
     * What the connection's PROXY header said, or null when none was accepted. Set once, before the
     * connection's channel-active event reaches the gates after the header, and never changed: every reader
     * (a gate when the connection opens and again when it closes, a log line) sees the same client.
     */
    public static ProxiedConnection proxied(Channel channel) {
        // hasAttr first: attr() would add an empty attribute to every connection without a header
        return channel.hasAttr(PROXIED) ? channel.attr(PROXIED).get() : null;
    }
}
