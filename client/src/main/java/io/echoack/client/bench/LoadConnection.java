package io.echoack.client.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent connection (stream) or flow (datagram socket) of a bench run, as the last handler of its
 * channel. It keeps up to {@code pipeline} messages in flight: in a closed loop it sends the next one when
 * a reply frees a slot; in an open loop a timer releases messages at their intended times and replies free
 * slots for messages that are due. Everything happens on the channel's event loop; the hot path reads into a
 * buffer the connection keeps ({@link ReusedReadBuffer}), writes copies of the message it keeps
 * ({@link KeptCopies}) with the void promise, and counts into primitive fields.
 *
 * <p>A connection ends ({@link #finish()}) when it has nothing left to send and nothing in flight, when it
 * fails (its messages in flight then count as failures of the failure's kind), or when the runner aborts it.
 * With connection churn ({@code reuse}) a stream connection that has sent its share of messages waits for their
 * replies, closes its channel and hands its send plan over to the next connection of its {@link StreamSlot}.
 */
abstract class LoadConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(LoadConnection.class);

    protected final BenchRun run;
    protected final LoopStats stats;
    protected final int index;
    protected final int pipeline;
    protected ChannelHandlerContext ctx;
    protected RunTimes times;
    private SendPlan plan;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> checker;
    private boolean started;
    private boolean sendingDone;
    protected boolean finished;
    private final Runnable tickTask = () -> pump(System.nanoTime());
    private final Runnable checkTask = this::check;
    private ReusedReadBuffer readBuffer;
    /** With {@code reuse}: the slot this connection hands its plan over to; else null. */
    private StreamSlot slot;
    /** Messages this channel may still send: its share with {@code reuse}, else no limit. */
    private long channelLeft = Long.MAX_VALUE;

    LoadConnection(BenchRun run, LoopStats stats, int index) {
        this.run = run;
        this.stats = stats;
        this.index = index;
        this.pipeline = run.config.pipeline();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Lets go of what this connection kept for its channel (its read buffer). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (readBuffer != null) {
            readBuffer.release();
        }
    }

    /**
     * This connection's receive buffer allocator: reads of the size {@code sizing} decides, into a buffer this
     * connection keeps ({@link ReusedReadBuffer}) until its handler is removed. Once, before the channel is made.
     */
    final RecvByteBufAllocator readBuffer(RecvByteBufAllocator sizing) {
        readBuffer = new ReusedReadBuffer(sizing);
        return readBuffer;
    }

    /**
     * With {@code reuse}: this connection sends at most {@code messages}, then hands its plan over to {@code slot}.
     * Before it starts.
     */
    final void reuse(StreamSlot slot, long messages) {
        this.slot = slot;
        this.channelLeft = messages;
    }

    /** True once this connection ended, or handed its plan over. */
    final boolean isFinished() {
        return finished;
    }

    /** Starts sending; runs on the event loop, once the run's times are set. Idempotent. */
    final void start() {
        if (started || finished) {
            return;
        }
        begin(run.plan(index));
    }

    /** Goes on with the plan of the connection this one replaces ({@code reuse}); on the event loop. Idempotent. */
    final void resume(SendPlan plan) {
        if (started || finished) {
            return;
        }
        begin(plan);
    }

    private void begin(SendPlan sendPlan) {
        started = true;
        times = run.times();
        plan = sendPlan;
        long now = System.nanoTime();
        if (run.schedule != null) {
            ticker = ctx.executor().scheduleAtFixedRate(tickTask, Math.max(0, plan.nextIntended() - now),
                    run.schedule.tickPeriod(), TimeUnit.NANOSECONDS);
        }
        checker = ctx.executor().scheduleAtFixedRate(checkTask, run.checkPeriodNanos, run.checkPeriodNanos,
                TimeUnit.NANOSECONDS);
        if (times.start() - now > 0) {
            ctx.executor().schedule(tickTask, times.start() - now, TimeUnit.NANOSECONDS);
        } else {
            pump(now);
        }
    }

    /** Sends every message that may go out now, flushes once, and finishes when all is done. */
    final void pump(long now) {
        if (!started || finished) {
            return;
        }
        boolean wrote = false;
        while (!sendingDone && channelLeft > 0 && canSend()) {
            long intended = plan.next(now);
            if (intended == SendPlan.DONE) {
                sendingDone = true;
                cancel(ticker);
                break;
            }
            if (intended == SendPlan.NOT_YET) {
                break;
            }
            plan.sent(intended);
            stats.phase(times, intended).add(Counter.SENT);
            send(intended, now);
            channelLeft--;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (sendingDone && inFlight() == 0) {
            finish();
        } else if (channelLeft == 0 && inFlight() == 0) {
            handOver(now);
        }
    }

    /**
     * This channel has sent its share ({@code reuse}) and has every reply: ends the run's connection if its plan has
     * nothing more to send, else closes this channel and lets its slot open the next one with the plan.
     */
    private void handOver(long now) {
        if (plan.next(now) == SendPlan.DONE) {
            sendingDone = true;
            finish();
            return;
        }
        finished = true; // this channel is done; the slot goes on (and counts down when its last one ends)
        cancel(ticker);
        cancel(checker);
        ctx.close();
        slot.replace(plan);
    }

    private void check() {
        long now = System.nanoTime();
        expire(now);
        pump(now);
    }

    /** True when one more message may be put in flight. */
    abstract boolean canSend();

    /** Messages sent and not yet answered, failed or lost. */
    abstract int inFlight();

    /** Writes one message (without flushing) and remembers it as in flight. */
    abstract void send(long intendedNanos, long nowNanos);

    /** Fails the messages in flight for longer than the timeout. */
    abstract void expire(long nowNanos);

    /** Counts every message in flight as {@code counter} and forgets it; returns how many there were. */
    abstract int failInFlight(Counter counter);

    /** What a message still in flight when the runner gives up counts as. */
    abstract Counter abandoned();

    /** The runner's hard stop: whatever is in flight counts as {@link #abandoned()}. On the event loop. */
    final void abort() {
        if (!finished) {
            failInFlight(abandoned());
            finish();
        }
    }

    /**
     * The connection failed: its messages in flight count as {@code counter} (or, with none in flight, the
     * failure counts once), and it ends.
     */
    final void fail(Counter counter) {
        if (finished) {
            return;
        }
        if (failInFlight(counter) == 0) {
            stats.phase(times != null ? times : run.times(), System.nanoTime()).add(counter);
        }
        run.failedConnections.incrementAndGet();
        finish();
    }

    /** Ends this connection: stops its timers, closes its channel, and tells the runner. Idempotent. */
    final void finish() {
        if (finished) {
            return;
        }
        finished = true;
        cancel(ticker);
        cancel(checker);
        if (ctx != null) {
            ctx.close();
        }
        run.finished.countDown();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} {}: {}", ctx.channel(), run.config.endpoint().address(), cause.toString());
        failure(ClosedAfterAcceptWatcher.counter(ctx.channel(), cause));
    }

    /** An I/O failure of the channel, classified: what it counts as. */
    abstract void failure(Counter counter);

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        pump(System.nanoTime());
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
