package io.echoack.client.bench;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.client.net.ClientTlsContext;
import io.echoack.client.net.ClientBootstraps;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.transport.Transport;
import io.echoack.common.transport.TransportSelection;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one bench: opens the connections (or starts the connect-per-message workers) on an event-loop group
 * of its own, starts them all at once, reports progress about every second, waits until every one is done,
 * and collects the measured phase into a {@link BenchResult}.
 *
 * <p>On {@code tls://} every connection does its TLS handshake before the run starts (a connection counts as
 * connected once its handshake is done), so the measurement holds no handshake; with
 * {@code connectPerMessage} each message's latency includes its connection's handshake, and with {@code reuse}
 * each replacement connection does its handshake during the run. Connect and handshake times of the connections
 * opened in the measured phase are recorded apart ({@link ConnectTimer}); every connect waits for its turn under
 * {@code connectRate} ({@link ConnectPacer}). With a {@code startAt} the run connects, then waits until then on the
 * wall clock before it starts (or starts at once, and says how late it is).
 *
 * <p>Runs of fixed duration end at the latest {@code timeout} plus 2 s after the measured phase, whatever
 * the server does: what is still in flight then counts as timed out (or lost). A run in which messages
 * failed but nothing at all answered within {@code timeout} of the start stops there (a black hole would
 * otherwise cost one timeout per message). {@link #stop()} ends a run early, e.g. on Ctrl-C; the result
 * then covers what was measured so far. A runner runs once.
 */
public final class BenchRunner {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Sending starts this long after the last connection is up, so that every connection starts on time. */
    private static final long START_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int UDP_RECEIVE_BUFFER = 1 << 20;

    private final BenchConfig config;
    private final Progress.Listener progress;
    private final StopSignal stop = new StopSignal();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Latencies drained from the recorders so far: warm-up, measured. Touched by the running thread only. */
    private final Histogram[] latencies = {PhaseStats.newHistogram(), PhaseStats.newHistogram()};

    private final Consumer<FieldMessage> notices;
    private final Clock clock;

    /** @param progress told about the run about once a second; null for silence */
    public BenchRunner(BenchConfig config, Progress.Listener progress) {
        this(config, progress, null);
    }

    /**
     * @param progress told about the run about once a second; null for silence
     * @param notices  told, in a line for people, that the run waits for its {@code startAt}, or that it begins late
     *                 (on the thread that runs the bench); null for silence
     */
    public BenchRunner(BenchConfig config, Progress.Listener progress, Consumer<FieldMessage> notices) {
        this(config, progress, notices, Clock.systemUTC());
    }

    /** @param clock the wall clock {@code startAt} is read on */
    BenchRunner(BenchConfig config, Progress.Listener progress, Consumer<FieldMessage> notices, Clock clock) {
        this.config = config;
        this.progress = progress == null ? p -> { } : progress;
        this.notices = notices == null ? m -> { } : notices;
        this.clock = clock;
    }

    /**
     * Asks a running bench to stop sending, finish and report (as {@link StopReason#INTERRUPTED}); from any
     * thread. Messages in flight still get their replies, for at most {@code timeout}.
     */
    public void stop() {
        stop.stop(StopReason.INTERRUPTED);
    }

    /**
     * Runs the bench and returns what it measured. Failures of the network (refused, unresolvable, reset,
     * timed out, wrong replies) are counted in the result, never thrown.
     *
     * @throws io.echoack.common.transport.TransportUnavailableException when the requested transport cannot load
     * @throws IllegalArgumentException when the transport has no channel for the endpoint kind, or an address
     *                                  of the PROXY header is of another family than the endpoint's
     */
    public BenchResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a BenchRunner runs once");
        }
        TransportSelection selection = Transport.select(config.transport());
        Transport transport = selection.transport();
        Endpoint endpoint = config.endpoint();
        transport.requireSupport(endpoint);
        Instant startedAt = Instant.now();
        int threads = Math.min(config.threads(), config.connections());
        SocketAddress server = transport.socketAddress(endpoint);
        if (ClientBootstraps.isUnresolved(server)) {
            Map<Counter, Long> counts = new EnumMap<>(Counter.class);
            counts.put(Counter.RESOLVE, (long) config.connections());
            return new BenchResult(config, transport.id(), threads, startedAt, 0, counts, Map.of(),
                    config.connectPerMessage() ? 0 : config.connections(), PhaseStats.newHistogram(), null, null, 0,
                    config.countBy() == null ? null : new ValueCounts(config.countBy(), Map.of(), 0),
                    BenchResult.Connects.none(), null, null, HostName.local(), Map.of());
        }
        config.proxyHeader().ifPresent(header -> header.requireSameFamilyAs(server));
        ClientTlsContext tls = endpoint.kind().isTls() ? ClientTlsContext.create(config.tls()) : null;
        MultiThreadIoEventLoopGroup group = ClientBootstraps.newGroup("echoack-bench", threads, transport);
        try {
            return run(group, transport, server, tls, startedAt, threads);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private BenchResult run(MultiThreadIoEventLoopGroup group, Transport transport, SocketAddress server,
                            ClientTlsContext tls, Instant startedAt, int threads) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        LoopStats[] stats = new LoopStats[threads];
        for (int i = 0; i < threads; i++) {
            stats[i] = new LoopStats();
        }
        BenchRun run = new BenchRun(config, Payload.of(config), ServerAddresses.resolve(server, InetAddress::getAllByName),
                tls, stop);
        List<Runnable> starts = new ArrayList<>();
        List<Runnable> aborts = new ArrayList<>();
        List<Channel> channels = new ArrayList<>(); // of datagram flows; stream connections close their own
        if (config.connectPerMessage()) {
            Bootstrap base = streamBootstrap(group, transport, run);
            for (int i = 0; i < config.connections(); i++) {
                EventLoop loop = loops.get(i % threads);
                ConnectPerMessageWorker worker = new ConnectPerMessageWorker(run, stats[i % threads], i, loop, base);
                starts.add(() -> loop.execute(worker::start));
                aborts.add(() -> loop.execute(worker::abort));
            }
        } else {
            connectAll(run, group, transport, loops, stats, starts, aborts, channels);
        }

        Long lateMillis = awaitStartAt();
        long clockNanos = System.nanoTime();
        Instant clockWall = Instant.now(); // the wall clock at clockNanos: the measured interval in real time
        long t0 = clockNanos + START_LEAD_NANOS;
        RunTimes times = RunTimes.of(t0, config.warmup().toNanos(),
                config.duration() == null ? 0 : config.duration().toNanos());
        run.times(times);
        starts.forEach(Runnable::run);
        long finishedAt = monitor(run, times, stats, aborts);

        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        Instant measureStart = clockWall.plusNanos(times.measureStart() - clockNanos);
        return collect(run, times, stats, transport, threads, startedAt, measureStart, finishedAt, lateMillis);
    }

    /**
     * With a {@code startAt}: waits until then (a stop ends the wait, and the run then sends nothing), or, when the
     * connections were set up too late, says so and goes on at once. Returns how late the run begins, in
     * milliseconds (0 on time); null without a {@code startAt}.
     */
    private Long awaitStartAt() {
        Instant at = config.startAt();
        if (at == null) {
            return null;
        }
        Instant ready = clock.instant();
        long late = StartAt.lateMillis(at, ready);
        String when = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
        if (late > 0) {
            notices.accept(FieldMessage.of("warning: began " + late + " ms after ", field("startAt"), " " + when
                    + ": the connections were not set up before then"));
        } else {
            notices.accept(FieldMessage.of("connected; waiting until " + when + " (", field("startAt"), ")"));
            StartAt.await(at, clock, stop::sleep);
        }
        return late;
    }

    private void connectAll(BenchRun run, MultiThreadIoEventLoopGroup group, Transport transport,
                            List<EventLoop> loops, LoopStats[] stats, List<Runnable> starts, List<Runnable> aborts,
                            List<Channel> channels) {
        Endpoint endpoint = config.endpoint();
        boolean datagram = endpoint.kind().isDatagram();
        Bootstrap base = datagram ? datagramBootstrap(group, transport) : streamBootstrap(group, transport, run);
        CountDownLatch connected = new CountDownLatch(config.connections());
        RecvByteBufAllocator readSizing =
                (RecvByteBufAllocator) base.config().options().get(ChannelOption.RECVBUF_ALLOCATOR);
        int threads = stats.length;
        for (int i = 0; i < config.connections(); i++) {
            EventLoop loop = loops.get(i % threads);
            if (!datagram) {
                StreamSlot slot = new StreamSlot(run, stats[i % threads], i, loop, base, readSizing);
                slot.open().addListener(done -> connected.countDown());
                starts.add(() -> loop.execute(slot::start));
                aborts.add(() -> loop.execute(slot::abort));
                continue;
            }
            LoadConnection connection = new DatagramLoadHandler(run, stats[i % threads], i);
            Bootstrap bootstrap = base.clone(loop)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, connection.readBuffer(readSizing))
                    .handler(connection);
            ChannelFuture connecting;
            if (endpoint.kind().isUnixDomain()) {
                try {
                    connecting = ClientBootstraps.openUnixgram(bootstrap, run.nextServer());
                } catch (UncheckedIOException e) {
                    loop.execute(() -> connection.fail(Counter.OTHER));
                    connected.countDown();
                    continue;
                }
            } else {
                connecting = bootstrap.connect(run.nextServer());
            }
            channels.add(connecting.channel());
            Future<?> ready = ClientBootstraps.ready(connecting);
            ready.addListener(done -> {
                if (done.isSuccess()) {
                    if (run.times() != null) {
                        connection.start(); // late: the run started without it
                    }
                } else {
                    Counter counter = ClosedAfterAcceptWatcher.connectFailed(connecting.channel(), done.cause(),
                            run.closedAfterAccept);
                    if (loop.inEventLoop()) {
                        connection.fail(counter);
                    } else {
                        loop.execute(() -> connection.fail(counter));
                    }
                }
                connected.countDown();
            });
            starts.add(() -> {
                if (ready.isSuccess()) {
                    loop.execute(connection::start);
                }
            });
            aborts.add(() -> loop.execute(connection::abort));
        }
        long pacing = config.connectRate() > 0 ? (long) Math.ceil(config.connections() * 1000 / config.connectRate()) : 0;
        try {
            connected.await(config.timeout().toMillis() + 5_000 + pacing, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.stop(StopReason.INTERRUPTED);
        }
    }

    private Bootstrap streamBootstrap(MultiThreadIoEventLoopGroup group, Transport transport, BenchRun run) {
        int readBuffer = BenchRun.readBufferSize(config.pipeline(), run.payload.frame().length);
        return ClientBootstraps.stream(group, transport, config.endpoint(), config.timeout())
                .option(ChannelOption.ALLOCATOR, BenchRun.ALLOCATOR)
                .option(ChannelOption.RECVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(readBuffer, readBuffer, BenchRun.MAX_READ_BUFFER));
    }

    private Bootstrap datagramBootstrap(MultiThreadIoEventLoopGroup group, Transport transport) {
        int expectedReply = switch (config.expect().kind()) {
            case ECHO -> config.size();
            case ACK, TEXT -> config.expect().textBytes().length;
            case ANY, INFO -> ClientBootstraps.largestDatagramPayload(config.endpoint(), config.maxFrameLength());
        };
        Bootstrap bootstrap = ClientBootstraps.datagram(group, transport, config.endpoint(), expectedReply)
                .option(ChannelOption.ALLOCATOR, BenchRun.ALLOCATOR);
        if (!config.endpoint().kind().isUnixDomain()) {
            bootstrap.option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER);
        }
        return bootstrap;
    }

    /**
     * Reports progress every second until every connection is done, and enforces the hard end of a timed run.
     * Returns when the last connection finished.
     */
    private long monitor(BenchRun run, RunTimes times, LoopStats[] stats, List<Runnable> aborts) {
        Histogram[] cumulative = latencies;
        long[] lastMessages = new long[2];
        long lastReport = times.start();
        long nextReport = times.start() + SECOND;
        long hardEnd = times.measureEnd() + config.timeout().toNanos() + 2 * SECOND;
        boolean aborted = false;
        while (true) {
            long now = System.nanoTime();
            long wait = nextReport - now;
            if (times.timed() && !aborted) {
                wait = Math.min(wait, hardEnd - now);
            }
            try {
                if (run.finished.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                    return System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.stop(StopReason.INTERRUPTED);
                aborts.forEach(Runnable::run);
                awaitQuietly(run.finished, 2);
                return System.nanoTime();
            }
            now = System.nanoTime();
            if (!stop.isStopped() && now - times.start() > config.timeout().toNanos() && nothingAnswered(stats)) {
                stop.stop(StopReason.NOTHING_ANSWERED);
            }
            if (now - nextReport >= 0) {
                int phase = times.isMeasured(nextReport - 1) ? 1 : 0; // the phase of the second that ended
                long messages = 0;
                long errors = 0;
                for (LoopStats loop : stats) {
                    loop.warmup.drainLatencyInto(cumulative[0]);
                    loop.measured.drainLatencyInto(cumulative[1]);
                    PhaseStats p = phase == 1 ? loop.measured : loop.warmup;
                    messages += p.get(Counter.OK);
                    for (Counter c : Counter.values()) {
                        if (c.isFailure()) {
                            errors += p.get(c);
                        }
                    }
                }
                long since = phase == 1 ? Math.max(lastReport, times.measureStart()) : lastReport;
                double seconds = Math.max(1, now - since) / 1e9;
                double rate = (messages - lastMessages[phase]) / seconds;
                lastMessages[phase] = messages;
                lastReport = now;
                Histogram h = cumulative[phase];
                double p99 = h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
                progress.onProgress(new Progress(phase == 0, (now - times.start()) / 1e9, messages, rate,
                        rate * config.size() / 1e6, p99, errors));
                nextReport += SECOND * Math.max(1, (now - nextReport) / SECOND + 1);
            }
            if (times.timed() && !aborted && now - hardEnd >= 0) {
                aborted = true;
                aborts.forEach(Runnable::run);
                awaitQuietly(run.finished, 2);
                return System.nanoTime();
            }
        }
    }

    /** True when messages failed and not a single reply (right or wrong) has arrived. */
    private static boolean nothingAnswered(LoopStats[] stats) {
        long replies = 0;
        long failures = 0;
        for (LoopStats loop : stats) {
            for (PhaseStats phase : new PhaseStats[] {loop.warmup, loop.measured}) {
                replies += phase.get(Counter.OK) + phase.get(Counter.MISMATCH) + phase.get(Counter.DUPLICATE)
                        + phase.get(Counter.LATE);
                failures += phase.get(Counter.TIMEOUT) + phase.get(Counter.LOST);
            }
        }
        return replies == 0 && failures > 0;
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BenchResult collect(BenchRun run, RunTimes times, LoopStats[] stats, Transport transport, int threads,
                                Instant startedAt, Instant measureStart, long finishedAt, Long lateMillis) {
        Histogram latency = latencies[1];
        Map<Counter, Long> counts = new EnumMap<>(Counter.class);
        Map<Counter, Long> warmupCounts = new EnumMap<>(Counter.class);
        long lastReply = Long.MIN_VALUE;
        boolean anyReply = false;
        for (LoopStats loop : stats) {
            loop.measured.drainLatencyInto(latency);
            for (Counter c : Counter.values()) {
                counts.merge(c, loop.measured.get(c), Long::sum);
                warmupCounts.merge(c, loop.warmup.get(c), Long::sum);
            }
            if (loop.measured.hasReplies()) {
                long t = loop.measured.lastReplyNanos();
                lastReply = anyReply ? (t - lastReply > 0 ? t : lastReply) : t;
                anyReply = true;
            }
        }
        long end = anyReply ? lastReply : finishedAt;
        double seconds = Math.max(0, end - times.measureStart()) / 1e9;
        ValueCounts countBy = config.countBy() == null ? null : ValueCounts.of(config.countBy(),
                Arrays.stream(stats).map(loop -> loop.measured.valueCounts()).toList());
        Histogram connect = PhaseStats.newHistogram();
        Histogram handshake = PhaseStats.newHistogram();
        long opened = 0;
        for (LoopStats loop : stats) {
            loop.connects.drainInto(connect, handshake);
            opened += loop.connects.opened();
        }
        boolean measured = counts.values().stream().anyMatch(n -> n > 0);
        return new BenchResult(config, transport.id(), threads, startedAt, seconds, counts, warmupCounts,
                run.failedConnections.get(), latency, stop.reason(), run.firstWrongReply(),
                run.closedAfterAccept.get(), countBy, new BenchResult.Connects(opened, connect, handshake), lateMillis,
                measured ? measureStart : null, HostName.local(), Map.of());
    }
}
