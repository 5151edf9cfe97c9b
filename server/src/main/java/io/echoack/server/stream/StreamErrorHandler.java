package io.echoack.server.stream;

import io.echoack.common.codec.ConstantBuffers;
import io.echoack.common.codec.Framing;
import io.echoack.server.metrics.ListenerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every stream pipeline: decides what an error means for the connection.
 * <ul>
 *   <li>A line longer than the maximum: the peer gets {@code ERROR: message longer than N bytes} as the
 *       reply to that line, and the connection goes on with the next line.</li>
 *   <li>A length prefix above the maximum: no in-band error is possible, so replies already due are flushed
 *       and the connection is closed.</li>
 *   <li>I/O errors (reset by peer, broken pipe) are routine: logged at DEBUG, connection closed.</li>
 *   <li>TLS errors after the handshake (a corrupt record, a fatal alert from the peer) are the peer's doing:
 *       logged at DEBUG, counted as {@code tls}, connection closed. (Failed handshakes never get here; see
 *       {@code TlsHandshakeHandler}.)</li>
 *   <li>Anything else: logged once at WARN with the channel, connection closed.</li>
 * </ul>
 */
@Sharable
public final class StreamErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StreamErrorHandler.class);

    private final Framing framing;
    private final ByteBuf tooLongReply;
    private final ListenerMetrics metrics;

    public StreamErrorHandler(Framing framing, int maxFrameLength, ListenerMetrics metrics) {
        this.framing = framing;
        this.metrics = metrics;
        byte[] text = Framing.LINE.frame(("ERROR: message longer than " + maxFrameLength + " bytes")
                .getBytes(StandardCharsets.US_ASCII));
        this.tooLongReply = ConstantBuffers.of(text);
    }

    /** An SSLException, as such or as the cause of the DecoderException the SslHandler wraps it in. */
    private static boolean isTls(Throwable cause) {
        return cause instanceof SSLException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            metrics.error(ListenerMetrics.ErrorKind.FRAME_TOO_LONG);
            if (framing == Framing.LINE) {
                log.debug("{} line too long, answered with an error: {}", ctx.channel(), cause.getMessage());
                ctx.writeAndFlush(tooLongReply.duplicate(), ctx.voidPromise());
            } else {
                log.debug("{} frame too long, closing: {}", ctx.channel(), cause.getMessage());
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        } else if (isTls(cause)) {
            metrics.error(ListenerMetrics.ErrorKind.TLS);
            log.debug("{} TLS error, closing: {}", ctx.channel(), cause.toString());
            ctx.close();
        } else if (cause instanceof IOException) {
            metrics.error(ListenerMetrics.ErrorKind.IO);
            log.debug("{} I/O error, closing: {}", ctx.channel(), cause.toString());
            ctx.close();
        } else {
            metrics.error(ListenerMetrics.ErrorKind.UNEXPECTED);
            log.warn("{} unexpected error, closing the connection", ctx.channel(), cause);
            ctx.close();
        }
    }
}
