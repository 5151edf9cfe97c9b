package io.echoack.server.binding;

import io.echoack.common.transport.Transport;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import java.net.StandardSocketOptions;

/** Socket options whose spelling depends on the transport. */
public final class SocketOptions {

    private SocketOptions() {
    }

    /** SO_REUSEPORT as the transport spells it. */
    public static ChannelOption<Boolean> reusePort(Transport transport) {
        return transport == Transport.NIO
                ? NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT)
                : UnixChannelOption.SO_REUSEPORT;
    }
}
