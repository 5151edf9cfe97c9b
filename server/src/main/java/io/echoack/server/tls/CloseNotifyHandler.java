package io.echoack.server.tls;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.ssl.SslCloseCompletionEvent;

/**
 * Makes a TLS peer's {@code close_notify} mean what a TCP peer's FIN means to the rest of the pipeline: the
 * end of its input. TLS clients end their side with {@code close_notify} (which TLS 1.3 defines as closing
 * one direction only), not with a TCP half-close, so without this the frame decoder would never hear that
 * the last, unterminated message is complete, and the half-close handler would never flush and close.
 * Passes the TLS event on, then fires {@link ChannelInputShutdownEvent} and
 * {@link ChannelInputShutdownReadComplete}, as the channel does when TCP input ends.
 *
 * <p>Whether replies can still be sent after the peer's {@code close_notify} is up to the TLS engine: the
 * JDK's (TLS 1.3) keeps the server's sending side open, so every reply is delivered; Netty's OpenSSL engine
 * closes both directions as soon as the {@code close_notify} is unwrapped, so only replies sent before that
 * are delivered ({@link CloseNotifySeparator} makes sure those include the replies to the messages that
 * arrived with it). Sharable and stateless.
 */
@Sharable
public final class CloseNotifyHandler extends ChannelInboundHandlerAdapter {

    public static final CloseNotifyHandler INSTANCE = new CloseNotifyHandler();

    private CloseNotifyHandler() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof SslCloseCompletionEvent closed && closed.isSuccess() && ctx.channel().isActive()) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            ctx.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        }
    }
}
