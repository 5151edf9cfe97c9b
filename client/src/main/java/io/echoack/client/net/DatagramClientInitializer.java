package io.echoack.client.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.SocketAddress;

/**
 * Builds the pipeline of one datagram socket (UDP, Unix datagram): {@value #WRITABILITY}
 * ({@link WritabilityGate}, which wakes callers waiting to send), then {@value #REPLY_HANDLER}
 * ({@link DatagramReplyHandler}); no framing, since one datagram is one message.
 */
final class DatagramClientInitializer extends ChannelInitializer<Channel> {

    static final String WRITABILITY = "writability";
    static final String REPLY_HANDLER = "replyHandler";

    private final ExchangeSettings settings;
    private final SocketAddress server;

    DatagramClientInitializer(ExchangeSettings settings, SocketAddress server) {
        this.settings = settings;
        this.server = server;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(WRITABILITY, new WritabilityGate());
        ch.pipeline().addLast(REPLY_HANDLER, new DatagramReplyHandler(settings, server));
    }
}
