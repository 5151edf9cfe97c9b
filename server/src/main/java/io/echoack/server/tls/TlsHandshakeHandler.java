package io.echoack.server.tls;

import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@code SslHandler} until the handshake is over, and makes a failed handshake a
 * routine, counted event instead of an error: a plaintext client on the TLS port, a client that does not
 * trust the server, a missing or foreign client certificate under mutual TLS, or a peer that never
 * handshakes. Each is logged once at DEBUG (one line, no stack trace) and reported to the
 * {@link CloseListener} as {@link CloseReason#TLS_HANDSHAKE_FAILED} or
 * {@link CloseReason#TLS_HANDSHAKE_TIMEOUT}; the {@code SslHandler} itself closes the connection (after
 * sending the alert). A peer that closes in the middle of its handshake is only logged: it left on its own.
 *
 * <p>Errors that follow a failed handshake (the {@code SslHandler} reports the same failure again as an
 * exception) stop here too, so the error handler at the end of the pipeline, which logs unexpected errors
 * at WARN, never sees them. After a successful handshake the handler removes itself. One instance per
 * listener; thread-safe.
 */
@Sharable
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);
    private static final int MAX_DETAIL = 160;

    private final CloseListener listener;

    /** @param listener told about each connection closed for a failed or timed-out handshake */
    public TlsHandshakeHandler(CloseListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                failed(ctx, done.cause());
            }
        }
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            log.debug("{} closed by the peer during the TLS handshake", ctx.channel());
            return;
        }
        boolean timeout = cause instanceof SslHandshakeTimeoutException;
        log.debug("{} TLS handshake {}, closing: {}", ctx.channel(), timeout ? "timed out" : "failed",
                describe(cause));
        listener.closing(timeout ? CloseReason.TLS_HANDSHAKE_TIMEOUT : CloseReason.TLS_HANDSHAKE_FAILED,
                ctx.channel());
        ctx.close(); // the SslHandler closes too; this makes sure of it
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Before or after a failed handshake: the completion event tells the story, and the connection closes.
        log.debug("{} error during the TLS handshake: {}", ctx.channel(), describe(cause));
        ctx.close();
    }

    /** The innermost cause, one line, cut short: a plaintext peer's bytes come back as a long hex dump. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        text = text.replace('\n', ' ');
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
    }
}
