package io.echoack.server.stream;

import io.echoack.server.limits.ReadGate;
import io.echoack.server.proxy.header.ProxyHeaderHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Ends one connection gracefully at shutdown, without losing a reply already owed. Put first in the
 * pipeline by {@link #start}: from then on nothing new is read as a message (incoming bytes are discarded);
 * the replies already written are flushed; then the server's side is shut down (FIN), so the client reads
 * every reply and then end of stream. The connection closes when the client closes its side, or after
 * {@code linger} at most. Discarding (instead of closing at once) matters: closing a socket with unread
 * input makes the kernel send a reset, and a reset can destroy replies the client has not read yet.
 *
 * <p>On a TLS connection it goes right after the {@code SslHandler}, so that TLS records are still
 * decrypted (and the client's {@code close_notify} seen), and the server ends its side the TLS way: a
 * {@code close_notify} after the last reply, then the TCP FIN. A connection still in its handshake owes no
 * reply and is closed at once, as is a connection still waiting for its PROXY protocol header.
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
        if (ch.pipeline().get(ProxyHeaderHandler.class) != null) {
            ch.close(); // still waiting for its PROXY header: nothing read yet, no reply owed
            return;
        }
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        if (tls != null && !tls.handshakeFuture().isSuccess()) {
            ch.close(); // no message read yet, so no reply owed
            return;
        }
        if (tls == null) {
            ch.pipeline().addFirst(NAME, new DrainHandler());
        } else {
            ch.pipeline().addAfter(ch.pipeline().context(tls).name(), NAME, new DrainHandler());
        }
        ReadGate.drain(ch); // keep reading (and discarding) so the peer's close is seen
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
            if (ch instanceof DuplexChannel duplex && flushed.isSuccess() && !duplex.isOutputShutdown()) {
                if (tls == null) {
                    shutdownOutputAndLinger(duplex, lingerMillis);
                } else {
                    tls.closeOutbound().addListener(closeNotify -> {
                        if (closeNotify.isSuccess() && !duplex.isOutputShutdown()) {
                            shutdownOutputAndLinger(duplex, lingerMillis);
                        } else {
                            ch.close();
                        }
                    });
                }
            } else {
                ch.close();
            }
        });
    }

    private static void shutdownOutputAndLinger(DuplexChannel ch, long lingerMillis) {
        ch.shutdownOutput();
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, lingerMillis, TimeUnit.MILLISECONDS);
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
        if (evt instanceof ChannelInputShutdownEvent
                || evt instanceof SslCloseCompletionEvent) {
            ctx.close(); // the client has read its replies and closed (or sent its close_notify): done
        } else {
            ReferenceCountUtil.release(evt);
        }
    }
}
