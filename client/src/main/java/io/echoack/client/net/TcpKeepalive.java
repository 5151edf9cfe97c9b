package io.echoack.client.net;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive with an idle time and an interval of the client's choosing ({@link ClientOptions#keepalive()}):
 * the kernel then sends a probe on a connection idle that long, and again at that interval, so that a balancer
 * or NAT that forgets flows idle for longer (an AWS NLB after 350 s) sees traffic and keeps the flow. The
 * kernel's own defaults (2 hours idle on Linux) are far too long for that, so the idle time and interval are set
 * per socket, each transport its own way: epoll and io_uring through their TCP_KEEPIDLE and TCP_KEEPINTVL
 * options, NIO through the JDK's {@link ExtendedSocketOptions}. Netty's kqueue transport has no way to set
 * them, so keepalive there is refused with advice instead of being turned on with the system's two hours.
 */
final class TcpKeepalive {

    private TcpKeepalive() {
    }

    /**
     * Fails when keepalive cannot be set on a connection to {@code endpoint} over {@code transport}: the endpoint
     * has no TCP (Unix sockets, datagrams), or the transport cannot set the idle time.
     *
     * @throws InvalidFieldException naming the {@code keepalive} setting (and {@code transport}, when that is
     *                               what to change)
     */
    static void requireUsable(Transport transport, Endpoint endpoint) {
        if (endpoint.kind().isUnixDomain() || endpoint.kind().isDatagram()) {
            throw new InvalidFieldException(FieldMessage.of(field("keepalive"), " is TCP keepalive: it works on "
                    + "tcp:// and tls:// endpoints only, and " + endpoint.address() + " has no TCP"));
        }
        if (transport == Transport.KQUEUE) {
            throw new InvalidFieldException(FieldMessage.of(field("keepalive"), ": the kqueue transport cannot set "
                    + "the keepalive idle time and interval of a connection; use ", field("transport"), " nio"));
        }
    }

    /**
     * Turns keepalive on for {@code channel}, a connected TCP channel of {@code transport}, with {@code every}
     * as the idle time and the interval.
     *
     * @throws IllegalStateException when the channel refuses one of the options (a transport or platform that
     *                               does not have it)
     */
    static void enable(Channel channel, Transport transport, Duration every) {
        int seconds = Math.toIntExact(every.getSeconds());
        ChannelConfig config = channel.config();
        set(config, ChannelOption.SO_KEEPALIVE, true);
        switch (transport) {
            case EPOLL -> {
                set(config, EpollChannelOption.TCP_KEEPIDLE, seconds);
                set(config, EpollChannelOption.TCP_KEEPINTVL, seconds);
            }
            case IO_URING -> {
                set(config, IoUringChannelOption.TCP_KEEPIDLE, seconds);
                set(config, IoUringChannelOption.TCP_KEEPINTVL, seconds);
            }
            case NIO -> {
                set(config, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), seconds);
                set(config, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), seconds);
            }
            default -> throw new IllegalStateException("keepalive cannot be set on the " + transport.id()
                    + " transport");
        }
    }

    private static <T> void set(ChannelConfig config, ChannelOption<T> option, T value) {
        if (!config.setOption(option, value)) {
            throw new IllegalStateException("this channel has no option " + option.name() + " (" + config + ")");
        }
    }
}
