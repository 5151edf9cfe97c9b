package io.echoack.server.fault;

import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.ReadGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.Future;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Shapes one connection's replies by its listener's faults: holds each for {@code delay ± jitter} (order kept:
 * a shorter delay never overtakes a longer one before it), paces them to {@code bandwidth}, cuts each into
 * writes of at most {@code slice} bytes, {@code slice-delay} apart, and ends the connection after
 * {@code close-after} (FIN) or {@code reset-after} (RST) reply bytes. Sits between the socket side and the metrics,
 * so replies are counted whole, when they are made.
 *
 * <p>Held replies count against the write buffer's water marks: past the high one, reading stops
 * ({@link ReadGate.Reason#FAULT_HELD}) until they drain below the low one; nothing is sent while the channel is
 * unwritable. A close (FIN) waits until the held replies are sent; a reset discards them. Never waits: every
 * pause is a task on the connection's event loop. New per connection, only on listeners with such faults.
 */
public final class ReplyShaper extends ChannelDuplexHandler {

    /** Bandwidth pacing writes at most this fraction of a second's worth of bytes at once. */
    private static final int PACED_WRITES_PER_SECOND = 20;

    private final ListenerFaults faults;
    private final SplittableRandom random;
    private final FaultEvents events;
    private final CloseListener closes;
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private long heldBytes;
    private long lastDue;
    private long linkFreeAt;
    private long repliedBytes;
    private boolean ended;
    private ChannelPromise closeWhenSent;
    private Future<?> timer;

    /**
     * @param faults the listener's faults
     * @param random the connection's own random stream (shared with its {@link StreamFaultHandler})
     * @param events told of every fault injected
     * @param closes told when a fault ends the connection
     */
    public ReplyShaper(ListenerFaults faults, SplittableRandom random, FaultEvents events, CloseListener closes) {
        this.faults = faults;
        this.random = random;
        this.events = events;
        this.closes = closes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf) || ended) {
            ctx.write(msg, promise); // after a fault ended the connection, the closed channel fails it
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        long delay = faults.current().delayNanos(random);
        if (delay > 0) {
            events.injected(FaultKey.DELAY, ctx.channel());
        }
        long due = Math.max(now + delay, lastDue);
        lastDue = due;
        held.add(new Held(buf, promise, due));
        heldBytes += buf.readableBytes();
        Channel ch = ctx.channel();
        if (heldBytes > ch.config().getWriteBufferHighWaterMark()) {
            ReadGate.pause(ch, ReadGate.Reason.FAULT_HELD);
        }
        send(false);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            send(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!held.isEmpty() && !StreamFaultHandler.resetting(ctx.channel()) && ctx.channel().isActive()) {
            closeWhenSent = promise; // a FIN goes after the replies owed
            return;
        }
        discardHeld();
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardHeld();
    }

    /**
     * Writes the held replies that are due, as far as pacing, slicing and writability let it, and schedules
     * itself for the next. Flushes what it wrote when {@code flush} (a timer or writability woke it; a reply
     * written now is flushed by the responder's own flush, which passes through).
     */
    private void send(boolean flush) {
        Channel ch = ctx.channel();
        Faults f = faults.current();
        long now = ctx.executor().ticker().nanoTime();
        long slice = f.bytes(FaultKey.SLICE);
        long bandwidth = f.bytes(FaultKey.BANDWIDTH);
        long sliceDelay = f.duration(FaultKey.SLICE_DELAY).toNanos();
        long closeAfter = f.bytes(FaultKey.CLOSE_AFTER);
        long resetAfter = f.bytes(FaultKey.RESET_AFTER);
        long limit = Math.min(closeAfter > 0 ? closeAfter : Long.MAX_VALUE,
                resetAfter > 0 ? resetAfter : Long.MAX_VALUE);
        boolean wrote = false;
        while (!held.isEmpty() && !ended && ch.isWritable()) {
            Held h = held.peek();
            long linkWait = bandwidth > 0 ? linkFreeAt - now : 0;
            long wait = Math.max(h.due - now, linkWait);
            if (wait > 0) {
                if (linkWait > 0 && !h.paced) {
                    h.paced = true;
                    events.injected(FaultKey.BANDWIDTH, ch);
                }
                schedule(wait);
                break;
            }
            int size = h.buf.readableBytes();
            if (slice > 0) {
                size = (int) Math.min(size, slice);
            }
            if (bandwidth > 0) {
                size = (int) Math.min(size, Math.max(1, bandwidth / PACED_WRITES_PER_SECOND));
            }
            boolean atLimit = repliedBytes + size >= limit;
            if (atLimit) {
                size = (int) (limit - repliedBytes);
            }
            if (size == h.buf.readableBytes()) {
                held.poll();
                ctx.write(h.buf, h.promise);
            } else {
                if (slice > 0 && !h.sliced) {
                    h.sliced = true;
                    events.injected(FaultKey.SLICE, ch);
                }
                ctx.write(h.buf.readRetainedSlice(size), ctx.voidPromise());
                h.due = slice > 0 ? now + sliceDelay : h.due;
            }
            wrote = true;
            heldBytes -= size;
            repliedBytes += size;
            if (bandwidth > 0) {
                linkFreeAt = Math.max(linkFreeAt, now) + size * 1_000_000_000L / bandwidth;
            }
            if (atLimit) {
                ended = true;
                discardHeld();
                if (resetAfter > 0 && repliedBytes >= resetAfter) {
                    ctx.flush();
                    StreamFaultHandler.reset(ch, FaultKey.RESET_AFTER, events, closes);
                } else {
                    StreamFaultHandler.close(ch, FaultKey.CLOSE_AFTER, events, closes);
                }
                return;
            }
        }
        if (wrote && flush) {
            ctx.flush();
        }
        if (heldBytes < ch.config().getWriteBufferLowWaterMark()) {
            ReadGate.resume(ch, ReadGate.Reason.FAULT_HELD);
        }
        if (held.isEmpty() && closeWhenSent != null) {
            ChannelPromise promise = closeWhenSent;
            closeWhenSent = null;
            ctx.flush();
            ctx.close(promise);
        }
    }

    private void schedule(long delayNanos) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                send(true);
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void discardHeld() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        Held h;
        while ((h = held.poll()) != null) {
            h.buf.release();
            if (!h.promise.isVoid()) {
                h.promise.tryFailure(new ClosedChannelException());
            }
        }
        heldBytes = 0;
        if (closeWhenSent != null) {
            ChannelPromise promise = closeWhenSent;
            closeWhenSent = null;
            ctx.close(promise);
        }
    }

    /** A reply held back, and when it may go. */
    private static final class Held {
        final ByteBuf buf;
        final ChannelPromise promise;
        long due;
        boolean sliced;
        boolean paced;

        Held(ByteBuf buf, ChannelPromise promise, long due) {
            this.buf = buf;
            this.promise = promise;
            this.due = due;
        }
    }
}
