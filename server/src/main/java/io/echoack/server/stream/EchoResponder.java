package io.echoack.server.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Echo mode: sends every frame back exactly as it arrived (terminator or length prefix included), in
 * order. Writes are flushed once per read burst, so pipelined messages leave in one syscall; but a burst
 * of big messages is flushed as soon as its replies reach half the write high water mark, so that the
 * peer gets its first replies while the rest is still being read (streaming), and the channel does not
 * turn unwritable merely because replies were queued and not yet flushed.
 */
@Sharable
public final class EchoResponder extends ChannelInboundHandlerAdapter {

    public static final EchoResponder INSTANCE = new EchoResponder();

    private EchoResponder() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        ctx.write(frame, ctx.voidPromise()); // ownership of the frame passes to the outbound side
        Channel ch = ctx.channel();
        if (ch.bytesBeforeUnwritable() < ch.config().getWriteBufferHighWaterMark() / 2) {
            ctx.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
