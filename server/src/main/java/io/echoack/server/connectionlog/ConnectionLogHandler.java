package io.echoack.server.connectionlog;

import io.echoack.common.codec.Framing;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.proxy.ConnectionAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Ticker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;

/**
 * Counts one stream connection's messages and bytes each way and, when it closes, hands its
 * {@link ConnectionLog} the connection's line: addresses (the client's read at close, after any PROXY header),
 * TLS version and SNI, times, counts, and how it ended. In the pipeline only with {@code --connection-log};
 * right after the metrics handler, so that it counts what the metrics count (whole messages and replies).
 *
 * <p>How it ended is whichever of these came first: a reason the server closed it for (told by the listener's
 * {@link CloseListener}, {@link #CLOSE_REASONS}, or {@link #draining} at shutdown), the client's end of input
 * ({@code client_fin}), an error seen on the way ({@code client_reset} for I/O errors, {@code tls_error},
 * {@code server_error}). Without any of them: after an oversized length frame, {@code frame_too_long}; else
 * a close the server asked for without a reason is {@code server_error}, and one the transport made by itself
 * is {@code client_reset} on TCP (a write that found the client gone) and {@code client_fin} on a Unix socket
 * (which has no reset, and whose NIO and io_uring channels close at the client's end of input without a
 * word). The line is written once the channel's close future is done, so connections refused before
 * anything reached this handler get theirs too.
 *
 * <p>Per message and per reply it adds to two fields and allocates nothing; per connection it registers one close
 * listener and runs one task (both itself) and makes one record. New per connection; all of it runs on the connection's event loop.
 */
public final class ConnectionLogHandler extends ChannelDuplexHandler implements ChannelFutureListener, Runnable {

    /** Tells a connection's handler (if it has one) the reason the server closes it. */
    public static final CloseListener CLOSE_REASONS = (reason, channel) -> ended(channel, reason.label());

    private final ConnectionLog log;
    private final String listener;
    private final boolean tooLongCloses;

    private Channel channel;
    private Ticker ticker;
    private SocketAddress local;
    private SocketAddress peer;
    private long openedMillis;
    private long openedNanos;
    private long messagesReceived;
    private long bytesReceived;
    private long messagesSent;
    private long bytesSent;
    private String tlsVersion;
    private String sni;
    private String end;
    private boolean frameTooLong;
    private boolean closeAsked;

    /**
     * @param log      where the line goes
     * @param listener the listener's label
     * @param framing  the connection's framing: an oversized message closes the connection unless it is a line
     */
    public ConnectionLogHandler(ConnectionLog log, String listener, Framing framing) {
        this.log = Objects.requireNonNull(log, "log");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tooLongCloses = framing != Framing.LINE;
    }

    /** Tells {@code channel}'s handler, if it has one, that the server is draining it at shutdown. */
    public static void draining(Channel channel) {
        ended(channel, ConnectionEnd.DRAIN.label());
    }

    private static void ended(Channel channel, String how) {
        ConnectionLogHandler handler = channel.pipeline().get(ConnectionLogHandler.class);
        if (handler != null) {
            handler.endIfUnknown(how);
        }
    }

    private void endIfUnknown(String how) {
        if (end == null) {
            end = how;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (channel != null) {
            return;
        }
        channel = ctx.channel();
        ticker = ctx.executor().ticker();
        openedNanos = ticker.nanoTime();
        openedMillis = log.wallMillis();
        local = channel.localAddress();
        peer = channel.remoteAddress(); // the channel keeps it from now on, also once closed
        channel.closeFuture().addListener(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf message) {
            messagesReceived++;
            bytesReceived += message.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf reply && reply.isReadable()) {
            messagesSent++;
            bytesSent += reply.readableBytes();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            endIfUnknown(ConnectionEnd.CLIENT_FIN.label());
        } else if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null) {
                SSLSession session = tls.engine().getSession();
                tlsVersion = session.getProtocol();
                sni = serverName(session);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            frameTooLong |= tooLongCloses;
        } else if (cause instanceof SSLException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            endIfUnknown(ConnectionEnd.TLS_ERROR.label());
        } else if (cause instanceof IOException) {
            endIfUnknown(ConnectionEnd.CLIENT_RESET.label());
        } else {
            endIfUnknown(ConnectionEnd.SERVER_ERROR.label());
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closeAsked = true;
        ctx.close(promise);
    }

    /**
     * The channel closed: the line is written in a task of its own, after whatever closed the channel is done,
     * so that a reason told right after the close is in it (Netty's PROXY decoder closes a connection before it
     * reports the malformed header that made it).
     */
    @Override
    public void operationComplete(ChannelFuture closed) {
        try {
            channel.eventLoop().execute(this);
        } catch (RejectedExecutionException shuttingDown) {
            run();
        }
    }

    /** Writes the line, with how the connection ended (see the class description). */
    @Override
    public void run() {
        String how = end != null ? end
                : frameTooLong ? ConnectionEnd.FRAME_TOO_LONG.label()
                : closeAsked ? ConnectionEnd.SERVER_ERROR.label()
                : local instanceof InetSocketAddress ? ConnectionEnd.CLIENT_RESET.label()
                : ConnectionEnd.CLIENT_FIN.label();
        log.closed(new ConnectionRecord(listener, local, peer, ConnectionAddresses.client(channel),
                ConnectionAddresses.proxied(channel), tlsVersion, sni, openedMillis, log.wallMillis(),
                ticker.nanoTime() - openedNanos, messagesReceived, bytesReceived, messagesSent, bytesSent, how));
    }

    /** The host name the client asked for in its TLS handshake (SNI), or null when it sent none. */
    static String serverName(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession extended)) {
            return null;
        }
        try {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return name instanceof SNIHostName host ? host.getAsciiName()
                            : new String(name.getEncoded(), StandardCharsets.ISO_8859_1);
                }
            }
        } catch (UnsupportedOperationException e) {
            // an engine that does not tell
        }
        return null;
    }
}
