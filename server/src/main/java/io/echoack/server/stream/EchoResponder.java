package io.echoack.server.stream;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Echo mode: sends every frame back exactly as it arrived (terminator or length prefix included), in
 * order. Writes are flushed once per read burst, so pipelined messages leave in one syscall.
 */
@Sharable
public final class EchoResponder extends ChannelInboundHandlerAdapter {

    public static final EchoResponder INSTANCE = new EchoResponder();

    private EchoResponder() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        ctx.write(frame, ctx.voidPromise()); // ownership of the frame passes to the outbound side
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
