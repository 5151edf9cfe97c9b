package io.echoack.server.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** Counts the inbound events that reach it (as the handlers after a gate would see them); releases reads. */
public final class EventRecorder extends ChannelInboundHandlerAdapter {
    public int active;
    public int inactive;
    public int reads;
    public int errors;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active++;
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive++;
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reads++;
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors++;
    }
}
