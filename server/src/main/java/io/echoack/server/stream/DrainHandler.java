package io.echoack.server.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Ends one connection gracefully at shutdown, without losing a reply already owed. Put first in the
 * pipeline by {@link #start}: from then on nothing new is read as a message (incoming bytes are discarded);
 * the replies already written are flushed; then the server's side is shut down (FIN), so the client reads
 * every reply and then end of stream. The connection closes when the client closes its side, or after
 * {@code linger} at most. Discarding (instead of closing at once) matters: closing a socket with unread
 * input makes the kernel send a reset, and a reset can destroy replies the client has not read yet.
 */
public final class DrainHandler extends ChannelInboundHandlerAdapter {

    public static final String NAME = "drain";

    private DrainHandler() {
    }

    /** Starts draining {@code ch}; call on its event loop. */
    public static void start(Channel ch, long lingerMillis) {
        if (!ch.isActive() || ch.pipeline().get(NAME) != null) {
            return;
        }
        ch.pipeline().addFirst(NAME, new DrainHandler());
        ch.config().setAutoRead(true); // keep reading (and discarding) so the peer's close is seen
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
            if (ch instanceof DuplexChannel duplex && flushed.isSuccess() && !duplex.isOutputShutdown()) {
                duplex.shutdownOutput();
                ch.eventLoop().schedule(() -> {
                    ch.close();
                }, lingerMillis, TimeUnit.MILLISECONDS);
            } else {
                ch.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing was passed on, so nothing downstream needs to know
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client has read its replies and closed: done
        } else {
            ReferenceCountUtil.release(evt);
        }
    }
}
