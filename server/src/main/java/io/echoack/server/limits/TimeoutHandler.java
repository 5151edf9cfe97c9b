package io.echoack.server.limits;

import io.echoack.common.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Ticker;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a stream connection that stalls (see {@link Timeouts}):
 * <ul>
 *   <li><b>idle</b>: no byte read from the peer for {@code idleTimeout}, and no progress writing the
 *       replies owed to it either (a peer slowly reading a backlog of replies is not idle, even though the
 *       server does not read from it meanwhile; a peer that neither sends nor reads is).
 *       Reads, not writes, are the measure, because the server only writes in answer to reads.</li>
 *   <li><b>frame</b>: a message whose first byte arrived {@code frameTimeout} ago is still incomplete
 *       (slowloris). While the server itself has stopped reading (backpressure: the peer does not read
 *       its replies), the frame clock stands still; the idle timeout covers that peer.</li>
 * </ul>
 * Before closing, the replies already owed are flushed; if they cannot be written within
 * {@value #FLUSH_GRACE_MILLIS} ms (the peer does not read), the connection is closed anyway. Each close is
 * logged once at DEBUG and reported to the {@link CloseListener} as {@link CloseReason#IDLE_TIMEOUT} or
 * {@link CloseReason#FRAME_TIMEOUT}.
 *
 * <p>Where messages begin and end it works out itself, from the bytes as they arrive, so it needs no
 * cooperation from the frame decoder: for line framing a message ends at {@code \n} (so a line that is too
 * long and being discarded is still one incomplete message until its {@code \n}); for length framing it
 * follows the 4-byte prefix and skips that many bytes; raw framing has no incomplete messages. This costs a
 * backward scan of each read to its last {@code \n} (line) or a few steps per message (length).
 *
 * <p>Put it in each connection's pipeline <em>before</em> the frame decoder, right after the accept-time
 * gates ({@code SourceFilterHandler}, {@link ConnectionLimiter}). New per connection (it is stateful); all
 * of it runs on the connection's event loop. Per read it stores a timestamp and follows the framing, without
 * allocating or scheduling anything: one timer per connection wakes at the nearest deadline (at least every
 * {@code frameTimeout} while that is on) and re-arms itself.
 */
public final class TimeoutHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TimeoutHandler.class);

    /** How long the replies owed get to be written before a timed-out connection is closed regardless. */
    public static final long FLUSH_GRACE_MILLIS = 2_000;

    private static final int LENGTH_PREFIX = Framing.LENGTH_PREFIX_BYTES;

    private final Framing framing;
    private final long idleNanos;
    private final long frameNanos;
    private final CloseListener listener;

    private ChannelHandlerContext ctx;
    private Ticker ticker;
    private Future<?> timer;
    private final Runnable check = this::check;
    private int state; // 0 new, 1 running, 2 done

    private long lastActivity;
    private boolean frameOpen;
    private long frameStart;
    // length framing: prefix bytes seen of the current message (0..3) and its value so far, then body left
    private int prefixBytes;
    private int prefixValue;
    private long bodyLeft;
    // output progress, as seen at the last check
    private int lastOutputMessage;
    private long lastOutputProgress;

    /**
     * @param timeouts the idle and frame timeouts
     * @param framing  the connection's framing, to know where messages end
     * @param listener told once when this handler closes the connection
     */
    public TimeoutHandler(Timeouts timeouts, Framing framing, CloseListener listener) {
        Objects.requireNonNull(timeouts, "timeouts");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.idleNanos = timeouts.idleTimeout().toNanos();
        this.frameNanos = framing.delimitsMessages() ? timeouts.frameTimeout().toNanos() : 0;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start(ChannelHandlerContext ctx) {
        if (state != 0) {
            return;
        }
        state = 1;
        this.ctx = ctx;
        if (idleNanos == 0 && frameNanos == 0) {
            return;
        }
        ticker = ctx.executor().ticker();
        lastActivity = ticker.nanoTime();
        arm(idleNanos == 0 ? frameNanos : frameNanos == 0 ? idleNanos : Math.min(idleNanos, frameNanos));
    }

    private void stop() {
        state = 2;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm(long delayNanos) {
        timer = ctx.executor().schedule(check, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == 1 && ticker != null) {
            long now = ticker.nanoTime();
            lastActivity = now;
            if (frameNanos != 0 && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                follow(bytes, now);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Follows message boundaries through one read; notes when the incomplete message at its end began. */
    private void follow(ByteBuf in, long now) {
        boolean ended; // a message ended in this read
        boolean open;  // a message is incomplete at the end of this read
        if (framing == Framing.LINE) {
            int lastNewline = in.indexOf(in.writerIndex(), in.readerIndex(), (byte) '\n');
            ended = lastNewline >= 0;
            open = !ended || lastNewline < in.writerIndex() - 1;
        } else {
            ended = false;
            int i = in.readerIndex();
            int end = in.writerIndex();
            while (i < end) {
                if (bodyLeft > 0) {
                    int skip = (int) Math.min(bodyLeft, end - i);
                    i += skip;
                    bodyLeft -= skip;
                    ended |= bodyLeft == 0;
                    continue;
                }
                prefixValue = prefixValue << 8 | (in.getByte(i++) & 0xff);
                if (++prefixBytes == LENGTH_PREFIX) {
                    bodyLeft = prefixValue & 0xffff_ffffL; // unsigned, as the decoder reads it
                    prefixBytes = 0;
                    prefixValue = 0;
                    ended |= bodyLeft == 0;
                }
            }
            open = prefixBytes > 0 || bodyLeft > 0;
        }
        if (open && (!frameOpen || ended)) {
            frameStart = now; // a new message began in this read
        }
        frameOpen = open;
    }

    private void check() {
        timer = null;
        Channel ch = ctx.channel();
        if (state != 1 || !ch.isOpen()) {
            return;
        }
        long now = ticker.nanoTime();
        long next = Long.MAX_VALUE;
        if (idleNanos != 0) {
            if (outputProgressed(ch)) {
                lastActivity = now;
            }
            long left = lastActivity + idleNanos - now;
            if (left <= 0) {
                close(CloseReason.IDLE_TIMEOUT, idleNanos);
                return;
            }
            next = left;
        }
        if (frameNanos != 0) {
            if (frameOpen && !ch.config().isAutoRead()) {
                frameStart = now; // the server is not reading: not the peer's delay
            }
            long left = frameOpen ? frameStart + frameNanos - now : frameNanos;
            if (left <= 0) {
                close(CloseReason.FRAME_TIMEOUT, frameNanos);
                return;
            }
            next = Math.min(next, left);
        }
        arm(next);
    }

    /** True when replies are owed and writing them moved on since the last check. */
    private boolean outputProgressed(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out == null || out.totalPendingWriteBytes() == 0) {
            lastOutputMessage = 0;
            lastOutputProgress = 0;
            return false;
        }
        int message = System.identityHashCode(out.current());
        long progress = out.currentProgress();
        boolean moved = message != lastOutputMessage || progress != lastOutputProgress;
        lastOutputMessage = message;
        lastOutputProgress = progress;
        return moved;
    }

    private void close(CloseReason reason, long afterNanos) {
        state = 2;
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        log.debug("{} {} ({} ms), closing", ch, reason.label(), TimeUnit.NANOSECONDS.toMillis(afterNanos));
        listener.closing(reason, ch);
        Future<?> forced = ctx.executor().schedule(() -> {
            ch.close();
        }, FLUSH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            forced.cancel(false);
            f.channel().close();
        });
    }
}
