package io.echoack.server.stream;

import io.echoack.common.codec.Framing;
import io.echoack.server.messagelog.MessageLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Prints each stream message (without its framing) through the {@link MessageLog}, then passes it on. */
@Sharable
public final class MessagePrinter extends ChannelInboundHandlerAdapter {

    private final Framing framing;
    private final MessageLog log;

    public MessagePrinter(Framing framing, MessageLog log) {
        this.framing = framing;
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf frame) {
            log.print(framing.payload(frame));
        }
        ctx.fireChannelRead(msg);
    }
}
