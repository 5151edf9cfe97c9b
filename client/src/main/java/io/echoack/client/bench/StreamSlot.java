package io.echoack.client.bench;

import io.echoack.client.net.ClientBootstraps;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One of a run's {@code connections} persistent stream connections, as a place its load goes through: its first
 * channel and, with connection churn ({@code reuse}), each channel that replaces one that has carried its share of
 * messages. The send plan passes from channel to channel, so the slot sends its share of the run as one connection
 * would. Every connect waits for its slot of the run's {@link ConnectPacer} on a timer of the event loop. The slot
 * counts down the run's {@code finished} once, when its last connection ends. Lives on one event loop.
 */
final class StreamSlot {

    /** A connect waiting for its pacing slot looks at the run this often, so that a stop ends the wait. */
    private static final long WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BenchRun run;
    private final LoopStats stats;
    private final int index;
    private final EventLoop loop;
    private final Bootstrap base;
    private final RecvByteBufAllocator readSizing;
    /** The connection the load goes through now (or is connecting); the one to start or abort. */
    private StreamLoadHandler current;
    private boolean currentReady;
    private boolean startAsked;

    /**
     * @param base       a stream bootstrap (group, channel factory, options) to clone for this slot's loop
     * @param readSizing how large the reads of each connection are ({@link LoadConnection#readBuffer})
     */
    StreamSlot(BenchRun run, LoopStats stats, int index, EventLoop loop, Bootstrap base,
               RecvByteBufAllocator readSizing) {
        this.run = run;
        this.stats = stats;
        this.index = index;
        this.loop = loop;
        this.base = base;
        this.readSizing = readSizing;
    }

    /** Opens the first connection; the future completes when it is ready (connected, TLS done) or has failed. */
    Future<Void> open() {
        Promise<Void> ready = loop.newPromise();
        loop.execute(() -> connect(null, ready));
        return ready;
    }

    /** Starts sending once the first connection is ready (at once if it is). On the event loop. */
    void start() {
        startAsked = true;
        if (currentReady) {
            current.start();
        }
    }

    /** The runner's hard stop, for the connection of the moment. On the event loop. */
    void abort() {
        if (current != null) {
            current.abort();
        }
    }

    /** Opens the connection that goes on with {@code plan} after the current one has carried its share. */
    void replace(SendPlan plan) {
        connect(plan, null);
    }

    /** @param plan the plan to go on with, or null for the first connection, which starts with the run */
    private void connect(SendPlan plan, Promise<Void> ready) {
        StreamLoadHandler connection = new StreamLoadHandler(run, stats, index);
        if (run.config.reuse() != null) {
            connection.reuse(this, run.config.reuse().draw(ThreadLocalRandom.current()));
        }
        current = connection;
        currentReady = false;
        waitForSlot(connection, plan, ready, run.pacer.reserve(System.nanoTime()));
    }

    private void waitForSlot(StreamLoadHandler connection, SendPlan plan, Promise<Void> ready, long slot) {
        if (connection.isFinished()) {
            done(ready); // aborted while waiting
            return;
        }
        RunTimes times = run.times();
        if (plan != null && (run.stop.isStopped() || times != null && times.isPastEnd(slot))) {
            connection.abort(); // nothing could be sent on it: the slot ends here
            done(ready);
            return;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            loop.schedule(() -> waitForSlot(connection, plan, ready, slot), Math.min(wait, WAIT_STEP_NANOS),
                    TimeUnit.NANOSECONDS);
            return;
        }
        Bootstrap bootstrap = base.clone(loop)
                .option(ChannelOption.RECVBUF_ALLOCATOR, connection.readBuffer(readSizing))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        run.addFirstStreamHandlers(ch, stats);
                        ch.pipeline().addLast(connection);
                    }
                });
        ChannelFuture connecting = bootstrap.connect(run.nextServer());
        ClientBootstraps.ready(connecting).addListener(done -> {
            if (done.isSuccess()) {
                if (connection == current) {
                    currentReady = true;
                }
                if (plan != null) {
                    connection.resume(plan);
                } else if (startAsked || run.times() != null) {
                    connection.start(); // late: the run started without it
                }
            } else {
                connection.fail(ClosedAfterAcceptWatcher.connectFailed(connecting.channel(), done.cause(),
                        run.closedAfterAccept));
            }
            done(ready);
        });
    }

    private static void done(Promise<Void> ready) {
        if (ready != null) {
            ready.trySuccess(null);
        }
    }
}
