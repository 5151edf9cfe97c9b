package io.echoack.client.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a {@code connectPerMessage} run: the sockets tutorial's client in a loop. For each
 * message it connects, sends, reads the reply and closes, then starts the next (closed loop) or waits for
 * the next intended time (open loop). Its latency includes the connect (and on {@code tls://} the TLS
 * handshake; sessions are resumed when the server allows), so the run measures connection rate. Lives on
 * one event loop; a new channel (and its small handler) per message is the point here.
 *
 * <p>With a {@code connectRate}, each connect first waits for its slot of the run's {@link ConnectPacer}, on a
 * timer; in a closed loop the message is sent (and its latency starts) once the slot has come, in an open loop its
 * intended time stays the schedule's, so that a cap below the rate shows as latency.
 */
final class ConnectPerMessageWorker implements ChannelFutureListener, StreamReplyReader.ReplySink {

    private static final Logger log = LoggerFactory.getLogger(ConnectPerMessageWorker.class);

    private final BenchRun run;
    private final LoopStats stats;
    private final int index;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final StreamReplyReader reader;
    private final Runnable pumpTask = () -> pump(System.nanoTime());
    private final Runnable pacedPumpTask = () -> {
        pacedPumpScheduled = false;
        pump(System.nanoTime());
    };
    /** The pacing slot reserved for the next connect; valid while {@link #slotReserved}. */
    private long slot;
    private boolean slotReserved;
    private boolean pacedPumpScheduled;
    private RunTimes times;
    private SendPlan plan;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> checker;
    private ByteBuf frame;
    private boolean started;
    private boolean finished;
    private boolean firstAttemptDone;
    /** The connection of the message in flight, or null when none is. */
    private Channel current;
    private long intended;
    private long startedAt;
    private long readNanos;

    /** @param base a stream bootstrap (group, channel factory, options) to clone for this worker's loop */
    ConnectPerMessageWorker(BenchRun run, LoopStats stats, int index, EventLoop loop, Bootstrap base) {
        this.run = run;
        this.stats = stats;
        this.index = index;
        this.loop = loop;
        this.reader = StreamLoadHandler.newReader(run);
        this.bootstrap = base.clone(loop).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                run.addFirstStreamHandlers(ch, stats);
                ch.pipeline().addLast(new ReplyHandler(ch));
            }
        });
    }

    /** Starts the loop of connections; on the worker's event loop. Idempotent. */
    void start() {
        if (started || finished) {
            return;
        }
        started = true;
        times = run.times();
        plan = run.plan(index);
        byte[] bytes = run.payload.frame();
        frame = BenchRun.ALLOCATOR.directBuffer(bytes.length).writeBytes(bytes);
        long now = System.nanoTime();
        if (run.schedule != null) {
            ticker = loop.scheduleAtFixedRate(pumpTask, Math.max(0, plan.nextIntended() - now),
                    run.schedule.tickPeriod(), TimeUnit.NANOSECONDS);
        }
        checker = loop.scheduleAtFixedRate(this::check, run.checkPeriodNanos, run.checkPeriodNanos,
                TimeUnit.NANOSECONDS);
        if (times.start() - now > 0) {
            loop.schedule(pumpTask, times.start() - now, TimeUnit.NANOSECONDS);
        } else {
            pump(now);
        }
    }

    private void pump(long now) {
        if (!started || finished || current != null) {
            return;
        }
        if (run.pacer.limited() && !run.stop.isStopped()) {
            if (!slotReserved) {
                slot = run.pacer.reserve(now);
                slotReserved = true;
            }
            if (times.isPastEnd(slot)) {
                finish(); // the slot comes after the end of the run: nothing more can be sent
                return;
            }
            if (slot - now > 0) {
                if (!pacedPumpScheduled) {
                    pacedPumpScheduled = true;
                    loop.schedule(pacedPumpTask, slot - now, TimeUnit.NANOSECONDS);
                }
                return;
            }
        }
        long next = plan.next(now);
        if (next == SendPlan.DONE) {
            finish();
            return;
        }
        if (next == SendPlan.NOT_YET) {
            return;
        }
        plan.sent(next);
        slotReserved = false;
        stats.phase(times, next).add(Counter.SENT);
        intended = next;
        startedAt = now;
        reader.reset();
        ChannelFuture connecting = bootstrap.connect(run.nextServer());
        current = connecting.channel();
        connecting.addListener(this);
    }

    /** The connect of the current message completed. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.channel() != current) {
            return; // a connection already given up (timed out)
        }
        if (!future.isSuccess()) {
            firstAttempt(false);
            end(ClosedAfterAcceptWatcher.connectFailed(future.channel(), future.cause(), run.closedAfterAccept));
            return;
        }
        if (run.tls == null) {
            firstAttempt(true); // on TLS, the handshake decides (ReplyHandler)
        }
        current.writeAndFlush(frame.retainedDuplicate(), current.voidPromise());
    }

    private void firstAttempt(boolean connected) {
        if (!firstAttemptDone) {
            firstAttemptDone = true;
            run.firstAttempt(connected);
        }
    }

    @Override
    public boolean reply(boolean valid) {
        if (current == null) {
            return false;
        }
        run.streamReply(valid, reader, stats.phase(times, intended), intended, readNanos);
        closeCurrent();
        loop.execute(pumpTask); // not from here: a connect that fails at once would recurse
        return false;
    }

    /** The current message failed as {@code counter}. */
    private void end(Counter counter) {
        if (current == null) {
            return;
        }
        stats.phase(times, intended).add(counter);
        closeCurrent();
        loop.execute(pumpTask);
    }

    private void closeCurrent() {
        Channel channel = current;
        current = null;
        channel.close();
    }

    private void check() {
        long now = System.nanoTime();
        if (current != null && now - startedAt >= run.timeoutNanos) {
            end(Counter.TIMEOUT);
        }
        pump(now);
    }

    /** The runner's hard stop: a message in flight counts as a timeout. On the worker's loop. */
    void abort() {
        if (!finished) {
            end(Counter.TIMEOUT);
            finish();
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (checker != null) {
            checker.cancel(false);
        }
        if (current != null) {
            closeCurrent();
        }
        if (frame != null) {
            frame.release();
            frame = null;
        }
        run.finished.countDown();
    }

    /** Reads the reply on one connection of this worker. */
    private final class ReplyHandler extends ChannelInboundHandlerAdapter {

        private final Channel channel;

        ReplyHandler(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf bytes && channel == current) {
                    readNanos = System.nanoTime();
                    if (reader.read(bytes, ConnectPerMessageWorker.this) == StreamReplyReader.TOO_LONG) {
                        run.wrongReply(reader.tooLong());
                        end(Counter.MISMATCH);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                firstAttempt(handshake.isSuccess()); // the message waits in the SslHandler until now
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (channel == current) {
                end(Counter.CLOSED); // the server closed (FIN) before its reply was complete; a reset fails first
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{} {}: {}", ctx.channel(), run.config.endpoint().address(), cause.toString());
            if (channel == current) {
                end(ClosedAfterAcceptWatcher.counter(channel, cause));
            } else {
                ctx.close();
            }
        }
    }
}
