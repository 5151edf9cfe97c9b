package io.echoack.server.stream;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a peer while its replies cannot be written (the peer does not read, or reads slower
 * than it sends), and resumes once the outbound buffer drains below the low water mark. This is what keeps
 * a non-reading peer from making the server buffer replies without bound.
 */
@Sharable
public final class BackpressureHandler extends ChannelInboundHandlerAdapter {

    public static final BackpressureHandler INSTANCE = new BackpressureHandler();

    private BackpressureHandler() {
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (!writable) {
            ctx.flush(); // make sure what is queued is on its way
        }
        ctx.fireChannelWritabilityChanged();
    }
}
