package io.echoack.server.fault;

import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Injects a datagram listener's faults into its replies. Per reply, drawn in this order: {@code drop} (not
 * sent), {@code corrupt} (one byte flipped, in a copy: the request and the shared ack stay intact),
 * {@code duplicate} (sent twice), {@code reorder} (held back and sent right after the next reply, or after
 * {@link #REORDER_HOLD_MILLIS} if none comes), then held for {@code delay ± jitter} (datagrams keep no order).
 *
 * <p>Never weakens the reflection guard: the guard charged the reply before the responder made it, so a delayed
 * or reordered reply is already paid for, and a duplicate is charged again ({@link ExtraReplies}) and not sent
 * when the guard refuses it. Held replies are bounded ({@link #MAX_DELAYED}); past it a reply goes undelayed.
 * One per datagram channel, reading the listener's {@link ListenerFaults#current()} per reply, so a change applies
 * from the next reply on; with no faults a reply passes straight on (a reply held for reordering still goes out
 * after the next one).
 */
public final class DatagramFaultHandler extends ChannelOutboundHandlerAdapter {

    /** Longest a reordered reply waits for a next reply to overtake it. */
    public static final long REORDER_HOLD_MILLIS = 1000;
    /** Most delayed replies held at once per channel. */
    public static final int MAX_DELAYED = 65_536;

    /** Charges an extra reply (a duplicate) to its destination's budgets: true when it may be sent. */
    @FunctionalInterface
    public interface ExtraReplies {
        /** Every extra reply may go (Unix datagrams: local peers, no guard). */
        ExtraReplies UNLIMITED = (recipient, bytes) -> true;

        boolean charge(SocketAddress recipient, int bytes);
    }

    private final ListenerFaults faults;
    private final SplittableRandom random;
    private final FaultEvents events;
    private final ExtraReplies extra;

    private Object reordered;
    private Future<?> reorderTimer;
    /** Replies waiting for their delay, released if the channel closes first (a task dropped at shutdown). */
    private final Set<Object> delayed = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param faults the listener's faults
     * @param random the channel's own random stream ({@link ListenerFaults#nextRandom()})
     * @param events told of every fault injected
     * @param extra  charges each duplicate to the reflection guard
     */
    public DatagramFaultHandler(ListenerFaults faults, SplittableRandom random, FaultEvents events,
                                ExtraReplies extra) {
        this.faults = faults;
        this.random = random;
        this.events = events;
        this.extra = extra;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof AddressedEnvelope<?, ?> envelope) || !(envelope.content() instanceof ByteBuf content)) {
            ctx.write(msg, promise);
            return;
        }
        Faults f = faults.current();
        if (f.isNone() && reordered == null) {
            ctx.write(msg, promise); // the common case, and every reply of a listener without faults
            return;
        }
        if (f.roll(FaultKey.DROP, random)) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess(); // dropped on purpose: as far as the sender knows, it left
            events.injected(FaultKey.DROP, ctx.channel());
            return;
        }
        Object reply = msg;
        if (f.roll(FaultKey.CORRUPT, random) && content.isReadable()) {
            ByteBuf copy = ctx.alloc().buffer(content.readableBytes()).writeBytes(content, content.readerIndex(),
                    content.readableBytes());
            int i = random.nextInt(copy.readableBytes());
            copy.setByte(i, copy.getByte(i) ^ (1 << random.nextInt(8)));
            reply = replace(envelope, copy);
            ReferenceCountUtil.release(msg);
            events.injected(FaultKey.CORRUPT, ctx.channel());
        }
        if (f.roll(FaultKey.DUPLICATE, random)
                && extra.charge(((AddressedEnvelope<?, ?>) reply).recipient(), content(reply).readableBytes())) {
            events.injected(FaultKey.DUPLICATE, ctx.channel());
            send(ctx, f, replace((AddressedEnvelope<?, ?>) reply, content(reply).retainedDuplicate()),
                    ctx.voidPromise());
        }
        if (reordered == null && f.roll(FaultKey.REORDER, random)) {
            events.injected(FaultKey.REORDER, ctx.channel());
            reordered = reply;
            promise.trySuccess();
            reorderTimer = ctx.executor().schedule(() -> releaseReordered(ctx, true), REORDER_HOLD_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        send(ctx, f, reply, promise);
        releaseReordered(ctx, false);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        discardHeld();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardHeld();
    }

    private void send(ChannelHandlerContext ctx, Faults f, Object reply, ChannelPromise promise) {
        long delay = f.delayNanos(random);
        if (delay <= 0 || delayed.size() >= MAX_DELAYED) {
            ctx.write(reply, promise);
            return;
        }
        events.injected(FaultKey.DELAY, ctx.channel());
        delayed.add(reply);
        ctx.executor().schedule(() -> {
            if (delayed.remove(reply)) {
                ctx.writeAndFlush(reply, promise);
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** Sends the reply held back for reordering, after the one just written (or alone, when its time is up). */
    private void releaseReordered(ChannelHandlerContext ctx, boolean flush) {
        Object held = reordered;
        if (held == null) {
            return;
        }
        reordered = null;
        if (reorderTimer != null) {
            reorderTimer.cancel(false);
            reorderTimer = null;
        }
        send(ctx, faults.current(), held, ctx.voidPromise());
        if (flush) {
            ctx.flush();
        }
    }

    private void discardHeld() {
        for (Object reply : delayed) {
            ReferenceCountUtil.release(reply);
        }
        delayed.clear();
        if (reorderTimer != null) {
            reorderTimer.cancel(false);
            reorderTimer = null;
        }
        if (reordered != null) {
            ReferenceCountUtil.release(reordered);
            reordered = null;
        }
    }

    private static ByteBuf content(Object envelope) {
        return (ByteBuf) ((AddressedEnvelope<?, ?>) envelope).content();
    }

    private static Object replace(AddressedEnvelope<?, ?> envelope, ByteBuf content) {
        if (envelope instanceof DatagramPacket p) {
            return new DatagramPacket(content, p.recipient(), p.sender());
        }
        if (envelope instanceof DomainDatagramPacket p) {
            return new DomainDatagramPacket(content, p.recipient(), p.sender());
        }
        content.release();
        throw new IllegalArgumentException("not a datagram: " + envelope.getClass().getName());
    }
}
