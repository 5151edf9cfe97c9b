package io.echoack.server.stream;

import io.echoack.server.limits.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a peer while its replies cannot be written (the peer does not read, or reads slower
 * than it sends), and resumes once the outbound buffer drains below the low water mark. This is what keeps
 * a non-reading peer from making the server buffer replies without bound. It pauses and resumes through the
 * {@link ReadGate}, for its own reason only: replies becoming writable again never reopen reading that
 * another handler stopped (a connection being closed, or refused).
 */
@Sharable
public final class BackpressureHandler extends ChannelInboundHandlerAdapter {

    public static final BackpressureHandler INSTANCE = new BackpressureHandler();

    private BackpressureHandler() {
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!ch.isWritable()) {
            // Replies written but not yet flushed count too: a burst of pipelined reads crosses the high water
            // mark before the read's flush. Flush first; only a peer whose socket is full keeps the channel
            // unwritable, and only then is reading stopped (each change of autoRead costs an epoll_ctl).
            ctx.flush();
            if (!ch.isWritable()) {
                ReadGate.pause(ch, ReadGate.Reason.BACKPRESSURE);
            }
        } else {
            ReadGate.resume(ch, ReadGate.Reason.BACKPRESSURE); // only its own pause: not a closing connection's
        }
        ctx.fireChannelWritabilityChanged();
    }
}
