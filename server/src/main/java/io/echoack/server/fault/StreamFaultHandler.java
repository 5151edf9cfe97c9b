package io.echoack.server.fault;

import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.limits.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Injects a stream listener's per-message and per-connection faults into one connection. Per message, drawn in
 * this order: {@code reset} (the message is discarded and the connection reset: RST), {@code close} (discarded,
 * the replies already owed are sent, then FIN), {@code blackhole} (this and every later message discarded, the
 * connection kept open). Per connection: its first read waits {@code accept-delay}, and a close the server
 * starts waits {@code slow-close}. Replies are shaped by {@link ReplyShaper}, nearer the socket.
 *
 * <p>Reads the listener's {@link ListenerFaults#current()} per message, so a change applies from the next one
 * on. Never waits: every pause is a task on the connection's event loop. New per connection, and only on
 * listeners with faults: a listener without pays nothing.
 */
public final class StreamFaultHandler extends ChannelDuplexHandler {

    private static final AttributeKey<Boolean> RESETTING = AttributeKey.valueOf(StreamFaultHandler.class, "resetting");

    private final ListenerFaults faults;
    private final SplittableRandom random;
    private final FaultEvents events;
    private final CloseListener closes;

    private boolean discarding;
    private boolean slowClosing;

    /**
     * @param faults the listener's faults
     * @param random the connection's own random stream ({@link ListenerFaults#nextRandom()})
     * @param events told of every fault injected
     * @param closes told when a fault ends the connection ({@link CloseReason#FAULT_RESET},
     *               {@link CloseReason#FAULT_CLOSE})
     */
    public StreamFaultHandler(ListenerFaults faults, SplittableRandom random, FaultEvents events,
                              CloseListener closes) {
        this.faults = faults;
        this.random = random;
        this.events = events;
        this.closes = closes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long acceptDelay = faults.current().duration(FaultKey.ACCEPT_DELAY).toNanos();
        if (acceptDelay > 0) {
            Channel ch = ctx.channel();
            ReadGate.pause(ch, ReadGate.Reason.FAULT_ACCEPT_DELAY);
            events.injected(FaultKey.ACCEPT_DELAY, ch);
            ctx.executor().schedule(() -> ReadGate.resume(ch, ReadGate.Reason.FAULT_ACCEPT_DELAY),
                    acceptDelay, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Faults f = faults.current();
        if (f.roll(FaultKey.RESET, random)) {
            ReferenceCountUtil.release(msg);
            reset(ctx.channel(), FaultKey.RESET, events, closes);
        } else if (f.roll(FaultKey.CLOSE, random)) {
            ReferenceCountUtil.release(msg);
            discarding = true;
            close(ctx.channel(), FaultKey.CLOSE, events, closes);
        } else if (f.roll(FaultKey.BLACKHOLE, random)) {
            ReferenceCountUtil.release(msg);
            discarding = true;
            events.injected(FaultKey.BLACKHOLE, ctx.channel());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        long slowClose = faults.current().duration(FaultKey.SLOW_CLOSE).toNanos();
        if (slowClose > 0 && !slowClosing && ctx.channel().isActive() && !resetting(ctx.channel())) {
            slowClosing = true;
            discarding = true;
            events.injected(FaultKey.SLOW_CLOSE, ctx.channel());
            ReadGate.pause(ctx.channel(), ReadGate.Reason.CLOSING);
            ctx.executor().schedule(() -> ctx.close(promise), slowClose, TimeUnit.NANOSECONDS);
            return;
        }
        ctx.close(promise);
    }

    /** Resets {@code ch} for {@code fault}: SO_LINGER 0, then close, which sends RST (a plain close on Unix). */
    static void reset(Channel ch, FaultKey fault, FaultEvents events, CloseListener closes) {
        events.injected(fault, ch);
        ReadGate.pause(ch, ReadGate.Reason.CLOSING);
        closes.closing(CloseReason.FAULT_RESET, ch);
        ch.attr(RESETTING).set(Boolean.TRUE);
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
        ch.close();
    }

    /** Closes {@code ch} (FIN) for {@code fault}, after the replies already written. */
    static void close(Channel ch, FaultKey fault, FaultEvents events, CloseListener closes) {
        events.injected(fault, ch);
        ReadGate.pause(ch, ReadGate.Reason.CLOSING);
        closes.closing(CloseReason.FAULT_CLOSE, ch);
        ch.flush();
        ch.close();
    }

    /** True when a fault is resetting {@code ch}: its close is neither slowed nor held back. */
    static boolean resetting(Channel ch) {
        return ch.hasAttr(RESETTING);
    }
}
