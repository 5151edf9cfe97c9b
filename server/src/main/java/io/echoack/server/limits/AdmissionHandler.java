package io.echoack.server.limits;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per accepted stream connection, when it becomes active and before anything is read, whether
 * it may stay. A refused connection is reset at once (SO_LINGER 0, then close), and none of its later events (active, reads,
 * inactive, errors) reach the handlers after this one: to the metrics and responders down the pipeline it
 * never existed, so an open-connections gauge cannot go negative and nothing is answered. Connections
 * already open are never touched.
 *
 * <p>Place it first in the child pipeline, from the child handler that builds the pipeline: it decides on the
 * channel-active event, so one added after the connection became active decides nothing. For an admitted
 * connection the handler removes itself (so that reads pay nothing for it), unless
 * {@link #staysAfterAdmission} says it stays; a refused one keeps a sink that swallows its remaining events
 * in its place, so that a handler that stays sees {@code channelInactive} only for connections it admitted. Sharable:
 * one instance serves every connection of a listener; subclasses must be thread-safe.
 */
@Sharable
public abstract class AdmissionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AdmissionHandler.class);

    private final CloseListener listener;

    /** @param listener told about every refused connection */
    protected AdmissionHandler(CloseListener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Decides on a connection that just became active; runs on its event loop.
     *
     * @return null to admit it, or why it is refused
     */
    protected abstract CloseReason admit(ChannelHandlerContext ctx);

    /**
     * Whether this handler stays in the pipeline of an admitted connection (e.g. to release a count when the
     * connection closes, in {@code channelInactive}, which then reaches it for admitted connections only).
     * By default it does not: it removes itself, so that later events pay nothing for it.
     */
    protected boolean staysAfterAdmission() {
        return false;
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) {
        CloseReason refused = admit(ctx);
        if (refused == null) {
            if (!staysAfterAdmission()) {
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelActive(); // a removed context still forwards to its old successor
            return;
        }
        ctx.pipeline().replace(this, ctx.name(), RefusedConnectionSink.INSTANCE);
        ReadGate.pause(ctx.channel(), ReadGate.Reason.ADMISSION);
        log.debug("{} refused ({}), resetting", ctx.channel(), refused.label());
        listener.closing(refused, ctx.channel());
        // An abortive close: over TCP an RST, so the client sees a refusal the same way whether or not its
        // first bytes arrived before the close (a plain close turns into an RST only when they did), and the
        // server keeps no TIME_WAIT for a connection it never served. Unix sockets have no RST: a plain close.
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
    }

    /** Swallows every event of a refused connection that would otherwise reach the rest of the pipeline. */
    @Sharable
    static final class RefusedConnectionSink extends ChannelInboundHandlerAdapter {
        static final RefusedConnectionSink INSTANCE = new RefusedConnectionSink();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{} error on a refused connection: {}", ctx.channel(), cause.toString());
        }
    }
}
