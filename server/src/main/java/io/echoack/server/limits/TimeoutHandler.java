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
 * of it runs on the connection's event loop. It has no timer of its own: the listener's
 * {@link TimeoutSweeper} checks it every tick, so a deadline is met no earlier than due and at most two ticks
 * late. Per read it sets a flag and follows the framing, without allocating, scheduling or reading a clock.
 */
public final class TimeoutHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TimeoutHandler.class);

    /** How long the replies owed get to be written before a timed-out connection is closed regardless. */
    public static final long FLUSH_GRACE_MILLIS = 2_000;

    private static final int LENGTH_PREFIX = Framing.LENGTH_PREFIX_BYTES;
    private static final byte NEW = 0;
    private static final byte WATCHED = 1;
    private static final byte DONE = 2;

    private final TimeoutSweeper sweeper;
    private final Framing framing;

    // Narrow fields: one of these lives as long as each connection (72 bytes with compressed references).
    private ChannelHandlerContext ctx;
    /** Neighbours in the sweep's list (maintained by {@link TimeoutSweeper.Sweep}). */
    TimeoutHandler prev;
    TimeoutHandler next;
    private byte state;

    private boolean readSinceSweep;
    private long lastActivity;
    private boolean frameOpen;
    private boolean frameBegan; // a message began since the last sweep; the sweep stamps frameStart
    private long frameStart;
    // length framing: prefix bytes seen of the current message (0..3) and its value so far, then body left
    // (unsigned, as the prefix is)
    private byte prefixBytes;
    private int prefixValue;
    private int bodyLeft;
    // output progress, as seen at the last check (only compared for change, so the low bits suffice)
    private int lastOutputMessage;
    private int lastOutputProgress;

    /**
     * @param sweeper  the listener's timeouts, clock and close listener
     * @param framing  the connection's framing, to know where messages end
     */
    public TimeoutHandler(TimeoutSweeper sweeper, Framing framing) {
        this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
        this.framing = Objects.requireNonNull(framing, "framing");
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

    private long frameNanos(TimeoutSweeper.Deadlines d) {
        return framing.delimitsMessages() ? d.frameNanos : 0;
    }

    private void start(ChannelHandlerContext ctx) {
        if (state != NEW) {
            return;
        }
        this.ctx = ctx;
        TimeoutSweeper.Deadlines d = sweeper.deadlines();
        if (d.idleNanos == 0 && frameNanos(d) == 0) {
            state = DONE; // nothing to watch
            return;
        }
        state = WATCHED;
        TimeoutSweeper.Sweep sweep = sweeper.sweepOf(ctx.executor());
        lastActivity = sweep.nanoTime();
        sweep.add(this);
    }

    private void stop() {
        if (state == WATCHED) {
            sweeper.sweepOf(ctx.executor()).remove(this);
        }
        state = DONE;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == WATCHED) {
            readSinceSweep = true;
            // followed while the frame timeout is off too, so that one set later (SIGHUP) knows where messages are
            if (framing.delimitsMessages() && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                follow(bytes);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Follows message boundaries through one read; notes whether an incomplete message began in it. */
    private void follow(ByteBuf in) {
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
                if (bodyLeft != 0) {
                    int skip = (int) Math.min(Integer.toUnsignedLong(bodyLeft), end - i);
                    i += skip;
                    bodyLeft -= skip;
                    ended |= bodyLeft == 0;
                    continue;
                }
                prefixValue = prefixValue << 8 | (in.getByte(i++) & 0xff);
                if (++prefixBytes == LENGTH_PREFIX) {
                    bodyLeft = prefixValue; // unsigned, as the decoder reads it
                    prefixBytes = 0;
                    prefixValue = 0;
                    ended |= bodyLeft == 0;
                }
            }
            open = prefixBytes > 0 || bodyLeft != 0;
        }
        if (open && (!frameOpen || ended)) {
            frameBegan = true; // a new message began in this read; the next sweep stamps it
        }
        frameOpen = open;
    }

    /**
     * Called by the sweep every tick with its time and the timeouts in force: closes the connection if a deadline
     * passed. Activity and message starts are stamped whether or not their timeout is on, so that a timeout set
     * by a reload measures from the connection's real last activity. With no timeout left that applies to it (a
     * reload turned them off), the connection is let go: it is not watched again.
     */
    void check(long now, TimeoutSweeper.Deadlines d) {
        Channel ch = ctx.channel();
        if (state != WATCHED || !ch.isOpen()) {
            return;
        }
        if (d.idleNanos == 0 && frameNanos(d) == 0) {
            stop(); // nothing left to watch on this connection, as at start
            return;
        }
        if (readSinceSweep || outputProgressed(ch)) {
            lastActivity = now;
        }
        long idleNanos = d.idleNanos;
        if (idleNanos != 0 && now - lastActivity >= idleNanos) {
            close(CloseReason.IDLE_TIMEOUT, idleNanos);
            return;
        }
        readSinceSweep = false;
        if (framing.delimitsMessages()) {
            if (frameBegan || (frameOpen && !ch.config().isAutoRead())) {
                frameStart = now; // a message began since the last sweep, or the server is not reading
                frameBegan = false;
            }
            long frameNanos = d.frameNanos;
            if (frameNanos != 0 && frameOpen && now - frameStart >= frameNanos) {
                close(CloseReason.FRAME_TIMEOUT, frameNanos);
            }
        }
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
        int progress = (int) out.currentProgress();
        boolean moved = message != lastOutputMessage || progress != lastOutputProgress;
        lastOutputMessage = message;
        lastOutputProgress = progress;
        return moved;
    }

    private void close(CloseReason reason, long afterNanos) {
        stop();
        Channel ch = ctx.channel();
        ReadGate.pause(ch, ReadGate.Reason.CLOSING);
        log.debug("{} {} ({} ms), closing", ch, reason.label(), TimeUnit.NANOSECONDS.toMillis(afterNanos));
        sweeper.listener().closing(reason, ch);
        Future<?> forced = ctx.executor().schedule(() -> {
            ch.close();
        }, FLUSH_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            forced.cancel(false);
            f.channel().close();
        });
    }
}
