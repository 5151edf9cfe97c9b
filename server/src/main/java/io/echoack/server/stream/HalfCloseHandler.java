package io.echoack.server.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;

/**
 * When a peer shuts down its output (half-close, e.g. {@code shutdown(SHUT_WR)} or {@code nc -N}), every
 * message it sent still gets its reply: the replies are flushed, and only then is the connection closed.
 * Requires {@code ALLOW_HALF_CLOSURE} on the channel.
 */
@Sharable
public final class HalfCloseHandler extends ChannelInboundHandlerAdapter {

    public static final HalfCloseHandler INSTANCE = new HalfCloseHandler();

    private HalfCloseHandler() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
