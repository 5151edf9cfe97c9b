package io.echoack.client.bench;

import io.echoack.client.net.ClientBootstraps;
import io.echoack.client.net.ClientTlsContext;
import io.echoack.common.text.FieldMessage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection of one run shares: the config, the message, the schedule, where to send, and the
 * signals between the connections and the {@link BenchRunner} that drives them.
 */
final class BenchRun {

    /**
     * The allocator of every bench channel: pooled, so that the retained duplicates written per message are
     * recycled objects rather than new ones.
     */
    static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;
    /** The largest buffer a stream connection reads into (Netty's default). */
    static final int MAX_READ_BUFFER = 64 * 1024;
    /** The smallest buffer a stream connection reads into: a pooled small buffer costs no more than a tiny one. */
    static final int MIN_READ_BUFFER = 2048;

    final BenchConfig config;
    final Payload payload;
    /** The open-loop schedule, or null for a closed loop. */
    final OpenLoopSchedule schedule;
    /**
     * Every address of the endpoint's host name, which new connections take in turn ({@link #nextServer()}):
     * there is no single server address to connect to.
     */
    private final ServerAddresses servers;
    /** The TLS context of a {@code tls://} run, shared by its connections (sessions resume); else null. */
    final ClientTlsContext tls;
    final StopSignal stop;
    /** The check (and count) of identity replies in info mode; null otherwise. */
    final InfoCheck info;
    final long timeoutNanos;
    /** How often each connection looks for timed-out messages. */
    final long checkPeriodNanos;
    /** Counted down once per connection (or worker) when it is done, whether it ended well or not. */
    final CountDownLatch finished;
    /** Persistent connections that failed: could not connect, or were reset, timed out, or cut off. */
    final AtomicInteger failedConnections = new AtomicInteger();
    /** Stream connections the server closed right after accepting them ({@link ClosedAfterAcceptWatcher}). */
    final AtomicInteger closedAfterAccept = new AtomicInteger();
    /** The first wrong reply as {@link ReplySample} shows it, or null while none came. */
    private final AtomicReference<FieldMessage> firstWrongReply = new AtomicReference<>();
    private final AtomicInteger failedFirstAttempts = new AtomicInteger();
    /** Spaces the run's new connections ({@code connectRate}); unlimited without one. */
    final ConnectPacer pacer;
    /** Set once by the runner, before any connection starts. */
    private volatile RunTimes times;

    BenchRun(BenchConfig config, Payload payload, SocketAddress server, ClientTlsContext tls, StopSignal stop) {
        this(config, payload, ServerAddresses.single(server), tls, stop);
    }

    BenchRun(BenchConfig config, Payload payload, ServerAddresses servers, ClientTlsContext tls, StopSignal stop) {
        this.config = config;
        this.payload = payload;
        this.tls = tls;
        this.schedule = config.openLoop() ? new OpenLoopSchedule(config.rate(), config.connections()) : null;
        this.servers = servers;
        this.stop = stop;
        this.info = config.expect().kind() == Expectation.Kind.INFO ? new InfoCheck(config.countBy()) : null;
        this.timeoutNanos = config.timeout().toNanos();
        this.checkPeriodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                Math.min(TimeUnit.MILLISECONDS.toNanos(100), timeoutNanos / 10));
        this.finished = new CountDownLatch(config.connections());
        this.pacer = new ConnectPacer(config.connectRate(), System.nanoTime());
    }

    /** Where the next new connection (or flow, or connect-per-message connect) goes: each address in turn. */
    SocketAddress nextServer() {
        return servers.next();
    }

    /**
     * Puts the handlers every new stream connection starts with first in its pipeline: a {@link ConnectTimer}
     * recording into {@code stats}, a {@link ClosedAfterAcceptWatcher}, then with {@code --proxy-header} the
     * handlers that send this connection's own PROXY header (its own source port), then on a {@code tls://} run the
     * TLS handler.
     */
    void addFirstStreamHandlers(Channel channel, LoopStats stats) {
        if (tls != null) {
            channel.pipeline().addFirst("tls", tls.newHandler(channel.alloc(), config.endpoint(), config.timeout()));
        }
        config.proxyHeader().ifPresent(header ->
                ClientBootstraps.addProxyHeaderFirst(channel.pipeline(), header, config.endpoint()));
        channel.pipeline().addFirst("closed-after-accept", new ClosedAfterAcceptWatcher(closedAfterAccept));
        channel.pipeline().addFirst("connect-timer", new ConnectTimer(this, stats.connects));
    }

    /**
     * True when a connect started at {@code nanos} belongs to the measured phase, so that its set-up is recorded:
     * before the run's start only without a warm-up (the connections set up first then count, as everything does
     * then: {@link RunTimes#isMeasured}).
     */
    boolean connectMeasured(long nanos) {
        RunTimes t = times;
        return t == null ? config.warmup().isZero() : t.isMeasured(nanos);
    }

    /**
     * The buffer a stream connection reads into, at least: one byte more than its messages in flight take, within
     * {@link #MIN_READ_BUFFER} and {@link #MAX_READ_BUFFER}. Netty reads again whenever a read filled the buffer;
     * when the replies in flight always fit with room to spare, the read that finds them is the only one, instead
     * of being followed by a read that finds nothing (a wasted syscall per wake-up, which Netty's adaptive sizing
     * made on about one read in ten with 64-byte messages, having shrunk its buffer to 64 bytes).
     */
    static int readBufferSize(int pipeline, int frameLength) {
        long inFlight = (long) pipeline * frameLength + 1;
        return (int) Math.max(MIN_READ_BUFFER, Math.min(MAX_READ_BUFFER, inFlight));
    }

    void times(RunTimes runTimes) {
        this.times = runTimes;
    }

    /** The run's clock, or null before it starts. */
    RunTimes times() {
        return times;
    }

    /** The send plan of connection {@code index}; once the run's times are set. */
    SendPlan plan(int index) {
        long quota = config.count() == 0 ? Long.MAX_VALUE : SendPlan.quota(config.count(), config.connections(), index);
        return new SendPlan(times, schedule, index, quota, stop);
    }

    /**
     * Connect-per-message workers report their first connect here: when every worker's first attempt failed,
     * nothing listens, and the run stops instead of hammering a dead endpoint for its whole duration.
     */
    void firstAttempt(boolean connected) {
        if (!connected && failedFirstAttempts.incrementAndGet() == config.connections()) {
            stop.stop(StopReason.NOTHING_CONNECTED);
        }
    }

    /**
     * A reply was not the expected one (or malformed, too long, unsolicited), shown as {@code what}: the first
     * is kept for the report, and the run stops sending. Any thread.
     */
    void wrongReply(String what) {
        wrongReply(what == null ? null : FieldMessage.of(what));
    }

    /** As {@link #wrongReply(String)}, for what names a setting (a reply over {@code maxFrameLength}). */
    void wrongReply(FieldMessage what) {
        firstWrongReply.compareAndSet(null, what);
        stop.stop(StopReason.WRONG_REPLY);
    }

    /**
     * Counts in {@code phase} the stream reply {@code reader} has just read ({@code valid}: it was the expected
     * one), to the message intended at {@code intended}, read at {@code readNanos}. In info mode a reply must also
     * be an identity reply, counted by its key; a wrong reply is kept ({@link #wrongReply}). Event-loop thread.
     */
    void streamReply(boolean valid, StreamReplyReader reader, PhaseStats phase, long intended, long readNanos) {
        if (valid && info != null) {
            valid = info.accept(reader.capturedReply(), phase);
        }
        phase.reply(valid, intended, readNanos);
        if (!valid) {
            wrongReply(reader.lastReply());
        }
    }

    /** The first wrong reply, or null. */
    FieldMessage firstWrongReply() {
        return firstWrongReply.get();
    }
}
