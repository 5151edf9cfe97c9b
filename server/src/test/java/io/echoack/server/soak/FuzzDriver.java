package io.echoack.server.soak;

import io.echoack.common.endpoint.Datagrams;
import io.echoack.server.testing.ReplyModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The fuzz client: one thread and one {@link Selector} drive up to {@code connections} non-blocking stream
 * connections at once, each following a random {@link Plans plan} and checking every byte it receives
 * against its {@link ReplyModel}, plus a few UDP flows sending datagrams of random sizes. Finished
 * connections are replaced (at a bounded connect rate) until the run time is over; then the ones still open
 * finish their plans, within a bounded drain time.
 */
final class FuzzDriver {

    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long SLOW_READ_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** New connections per second at most, so that ports and the accept queue are not stormed. */
    private static final double CONNECTS_PER_SECOND = 400;
    private static final double CONNECT_BURST = 100;
    private static final int UDP_FLOWS = 4;
    private static final long UDP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long datagram replies may still arrive after the last datagram was sent. */
    private static final long UDP_LINGER_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final List<Target> targets;
    private final SocketAddress udpTarget;
    private final Plans plans;
    private final int max;
    private final String ackText;
    private final Random random;
    private final SoakStats stats;
    private final Conn[] slots;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final List<UdpFlow> flows = new ArrayList<>();
    private final Map<Long, byte[]> datagramsOwed = new HashMap<>();
    private final Map<String, Integer> smallDatagramsOwed = new HashMap<>();
    private long nextSeq;
    private long lastDatagramSent;
    private int nextId;

    /**
     * @param targets     the stream listeners; each connection picks one at random
     * @param udpTarget   the UDP echo listener
     * @param connections how many connections to keep open at once
     * @param plans       draws each connection's plan
     * @param max         the server's max frame length
     * @param ackText     the server's stream ack text
     * @param random      the seeded source of every random choice
     * @param stats       where to count
     */
    FuzzDriver(List<Target> targets, SocketAddress udpTarget, int connections, Plans plans, int max, String ackText,
               Random random, SoakStats stats) throws IOException {
        this.targets = List.copyOf(targets);
        this.udpTarget = udpTarget;
        this.plans = plans;
        this.max = max;
        this.ackText = ackText;
        this.random = random;
        this.stats = stats;
        this.slots = new Conn[connections];
        this.selector = Selector.open();
    }

    /** Runs for {@code runNanos}, then lets open connections finish for at most {@code drainNanos}. */
    void run(long runNanos, long drainNanos) throws IOException {
        long start = System.nanoTime();
        long runEnd = start + runNanos;
        long hardEnd = runEnd + drainNanos;
        double tokens = CONNECT_BURST;
        long lastRefill = start;
        long lastSweep = 0;
        try {
            for (int i = 0; i < UDP_FLOWS; i++) {
                flows.add(new UdpFlow());
            }
            while (true) {
                long now = System.nanoTime();
                boolean running = now < runEnd;
                if (now - lastSweep >= SWEEP_NANOS) {
                    if (lastSweep != 0) {
                        stats.maxSweepGapNanos = Math.max(stats.maxSweepGapNanos, now - lastSweep);
                    }
                    lastSweep = now;
                    if (running) {
                        tokens = Math.min(CONNECT_BURST, tokens + (now - lastRefill) * CONNECTS_PER_SECOND / 1e9);
                        lastRefill = now;
                    }
                    int active = 0;
                    for (int i = 0; i < slots.length; i++) {
                        Conn c = slots[i];
                        if ((c == null || c.done) && running && tokens >= 1) {
                            tokens--;
                            c = open(targets.get(random.nextInt(targets.size())), now);
                            slots[i] = c;
                        }
                        if (c != null && !c.done) {
                            advance(c, now);
                            active += c.done ? 0 : 1;
                        }
                    }
                    stats.peakConcurrent = Math.max(stats.peakConcurrent, active);
                    for (UdpFlow flow : flows) {
                        if (running) {
                            flow.sendIfDue(now);
                        }
                    }
                    boolean datagramsDone = datagramsOwed.isEmpty() && smallDatagramsOwed.isEmpty()
                            || now - lastDatagramSent > UDP_LINGER_NANOS;
                    if (!running && active == 0 && datagramsDone) {
                        return;
                    }
                    if (now > hardEnd) {
                        for (Conn c : slots) {
                            if (c != null && !c.done) {
                                fail(c, "still running " + TimeUnit.NANOSECONDS.toSeconds(drainNanos)
                                        + " s after the end of the run");
                            }
                        }
                        return;
                    }
                }
                selector.select(2);
                now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Object attachment = key.attachment();
                    if (attachment instanceof Conn c) {
                        handle(c, key, now);
                    } else if (attachment instanceof UdpFlow flow) {
                        flow.receive();
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            stats.driverCpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            stats.datagramsUnanswered = datagramsOwed.size()
                    + smallDatagramsOwed.values().stream().mapToLong(Integer::longValue).sum();
            for (Conn c : slots) {
                if (c != null) {
                    closeQuietly(c.ch);
                }
            }
            for (UdpFlow flow : flows) {
                closeQuietly(flow.ch);
            }
            selector.close();
        }
    }

    // ------------------------------------------------------------------ stream connections

    private final class Conn {
        final int id;
        final Target target;
        final SocketChannel ch;
        final SelectionKey key;
        final ExpectedReplies expected = new ExpectedReplies();
        final ReplyModel model;
        final ArrayDeque<Op> ops;
        final List<String> history = new ArrayList<>();
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        final long createdAt;
        boolean connected;
        boolean outputShut;
        boolean done;
        Op current;
        long opStart;
        long closeClockStart;
        long actionStart;
        long readPausedUntil;
        int slowRead;
        long slowUntil;
        long nextSlowRead;
        long sent;

        Conn(int id, Target target, SocketChannel ch, List<Op> plan, long now) throws IOException {
            this.id = id;
            this.target = target;
            this.ch = ch;
            this.model = new ReplyModel(target.framing(), target.mode(), max, ackText, expected::add);
            this.ops = new ArrayDeque<>(plan);
            this.createdAt = now;
            this.connected = ch.connect(target.address());
            this.key = ch.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
        }

        @Override
        public String toString() {
            return "connection #" + id + " to " + target + " [" + String.join(", ", history) + "], at "
                    + (current == null ? "-" : current.getClass().getSimpleName()) + ": " + expected.offset()
                    + " reply bytes checked, " + expected.pendingBytes() + " owed, " + sent + " bytes sent";
        }
    }

    private Conn open(Target target, long now) {
        SocketChannel ch = null;
        try {
            ch = target.unix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            ch.configureBlocking(false);
            if (!target.unix()) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            Conn c = new Conn(nextId++, target, ch, plans.plan(target, new Random(random.nextLong())), now);
            stats.connectionsOpened++;
            return c;
        } catch (IOException e) {
            closeQuietly(ch);
            if (target.unix() && String.valueOf(e.getMessage()).contains("temporarily unavailable")) {
                stats.connectsDeferred++; // EAGAIN: the listener's accept queue is full for now; try again later
                return null;
            }
            stats.fail("cannot open a connection to " + target + ": " + e);
            return null;
        }
    }

    private void handle(Conn c, SelectionKey key, long now) {
        if (c.done || !key.isValid()) {
            return;
        }
        if (key.isConnectable()) {
            try {
                c.connected = c.ch.finishConnect();
            } catch (IOException e) {
                fail(c, "connect failed: " + e);
                return;
            }
        }
        if (c.connected && key.isReadable()) {
            read(c, now);
        }
        if (!c.done && c.connected && key.isWritable()) {
            flush(c, now);
        }
        if (!c.done) {
            advance(c, now);
        }
    }

    /** Runs the plan as far as it can go now. */
    private void advance(Conn c, long now) {
        if (!c.connected) {
            if (now - c.createdAt > CONNECT_TIMEOUT_NANOS) {
                fail(c, "not connected within 10 s");
            }
            updateInterest(c, now);
            return;
        }
        flush(c, now);
        while (!c.done) {
            if (c.current == null) {
                c.current = c.ops.poll();
                if (c.current == null) {
                    fail(c, "the plan ended without closing");
                    return;
                }
                c.opStart = now;
                if (c.current instanceof Op.AwaitServerClose) {
                    // the server's clock cannot have started before this: our last write, or our connect
                    c.closeClockStart = !c.out.isEmpty() ? 0 : c.sent == 0 ? c.createdAt : now;
                }
            }
            Op op = c.current;
            if (op instanceof Op.Mark m) {
                stats.action(m.name());
                c.history.add(m.name());
                c.actionStart = now;
                c.current = null;
            } else if (op instanceof Op.Send s) {
                c.model.sent(s.bytes());
                c.out.add(ByteBuffer.wrap(s.bytes()));
                c.current = null;
                flush(c, now);
            } else if (op instanceof Op.Sleep s) {
                if (now - c.actionStart < TimeUnit.MILLISECONDS.toNanos(s.millis())) {
                    break;
                }
                c.current = null;
            } else if (op instanceof Op.AwaitReplies a) {
                if (c.expected.isEmpty() && c.out.isEmpty()) {
                    c.current = null;
                } else {
                    if (now - c.opStart > TimeUnit.MILLISECONDS.toNanos(a.timeoutMillis())) {
                        fail(c, "replies missing " + a.timeoutMillis() + " ms after the request");
                    }
                    break;
                }
            } else if (op instanceof Op.PauseReading p) {
                c.readPausedUntil = now + TimeUnit.MILLISECONDS.toNanos(p.millis());
                c.current = null;
            } else if (op instanceof Op.SlowRead s) {
                c.slowRead = s.bytesPerRead();
                c.slowUntil = now + TimeUnit.MILLISECONDS.toNanos(s.millis());
                c.current = null;
            } else if (op instanceof Op.Close) {
                finish(c, false);
            } else if (op instanceof Op.Reset) {
                finish(c, true);
            } else if (op instanceof Op.HalfClose h) {
                if (!c.outputShut) {
                    if (!c.out.isEmpty()) {
                        if (now - c.opStart > TimeUnit.MILLISECONDS.toNanos(h.timeoutMillis())) {
                            fail(c, "could not send everything before the half-close");
                        }
                        break;
                    }
                    try {
                        c.ch.shutdownOutput();
                    } catch (IOException e) {
                        fail(c, "shutdownOutput failed: " + e);
                        return;
                    }
                    c.outputShut = true;
                    c.model.endOfInput();
                    c.opStart = now;
                } else if (now - c.opStart > TimeUnit.MILLISECONDS.toNanos(h.timeoutMillis())) {
                    fail(c, "no end of stream " + h.timeoutMillis() + " ms after the half-close");
                }
                break;
            } else if (op instanceof Op.AwaitServerClose a) {
                long since = c.closeClockStart != 0 ? c.closeClockStart : c.opStart;
                if (now - since > TimeUnit.MILLISECONDS.toNanos(a.maxMillis())) {
                    fail(c, "the server did not close the connection within " + a.maxMillis() + " ms (expected: "
                            + a.reason() + ")");
                }
                break;
            } else {
                throw new IllegalStateException("unknown step " + op);
            }
        }
        updateInterest(c, now);
    }

    private void flush(Conn c, long now) {
        if (!c.connected || c.outputShut || c.done) {
            return;
        }
        while (!c.out.isEmpty()) {
            ByteBuffer b = c.out.peek();
            int n;
            try {
                n = c.ch.write(b);
            } catch (IOException e) {
                if (c.model.closes() || c.current instanceof Op.AwaitServerClose) {
                    c.out.clear(); // the server is closing this connection, as planned
                    return;
                }
                fail(c, "write failed: " + e);
                return;
            }
            c.sent += n;
            stats.bytesSent += n;
            if (b.hasRemaining()) {
                return;
            }
            c.out.poll();
        }
        if (c.current instanceof Op.AwaitServerClose && c.closeClockStart == 0) {
            c.closeClockStart = now;
        }
    }

    private void read(Conn c, long now) {
        ByteBuffer buf = readBuffer;
        buf.clear();
        boolean slow = c.slowRead > 0 && now < c.slowUntil;
        if (slow) {
            buf.limit(c.slowRead);
        }
        int n;
        try {
            n = c.ch.read(buf);
        } catch (IOException e) {
            serverClosed(c, now, "reset (" + e.getMessage() + ")", true);
            return;
        }
        if (n < 0) {
            serverClosed(c, now, "end of stream", false);
            return;
        }
        if (n == 0) {
            return;
        }
        buf.flip();
        try {
            stats.repliesVerified += c.expected.check(buf);
            stats.bytesVerified += n;
        } catch (IllegalStateException e) {
            fail(c, e.getMessage());
            return;
        }
        if (slow) {
            c.nextSlowRead = now + SLOW_READ_INTERVAL_NANOS;
        }
    }

    /** The server closed the connection (or reset it): fine only where the plan expects it. */
    private void serverClosed(Conn c, long now, String how, boolean reset) {
        if (c.current instanceof Op.AwaitServerClose a) {
            long since = c.closeClockStart != 0 ? c.closeClockStart : c.opStart;
            long waited = TimeUnit.NANOSECONDS.toMillis(now - since);
            if (waited < a.minMillis()) {
                fail(c, "the server closed the connection (" + how + ") after " + waited + " ms, before its "
                        + a.reason() + " (" + a.minMillis() + " ms at the earliest)");
            } else if (!a.mayLoseReplies() && !c.expected.isEmpty()) {
                fail(c, "the server closed the connection (" + how + ") with replies still owed");
            } else {
                stats.serverClosed(a.reason());
                finish(c, false);
            }
        } else if (c.current instanceof Op.HalfClose && c.outputShut) {
            if (reset) {
                fail(c, "a reset instead of the end of stream after the half-close: " + how);
            } else if (!c.expected.isEmpty()) {
                fail(c, "the end of stream after the half-close came with replies still owed");
            } else {
                stats.cleanHalfCloses++;
                finish(c, false);
            }
        } else {
            fail(c, "the server closed a connection that gave it no reason to (" + how + ")");
        }
    }

    private void updateInterest(Conn c, long now) {
        if (c.done || !c.key.isValid()) {
            return;
        }
        int interest;
        if (!c.connected) {
            interest = SelectionKey.OP_CONNECT;
        } else {
            interest = 0;
            if (!c.out.isEmpty() && !c.outputShut) {
                interest |= SelectionKey.OP_WRITE;
            }
            if (now >= c.readPausedUntil && (c.slowRead == 0 || now >= c.slowUntil || now >= c.nextSlowRead)) {
                interest |= SelectionKey.OP_READ;
            }
        }
        if (c.key.interestOps() != interest) {
            c.key.interestOps(interest);
        }
    }

    private void fail(Conn c, String why) {
        stats.fail(c + ": " + why);
        finish(c, true);
    }

    /** Closes our side; {@code reset}: with SO_LINGER 0 (TCP), so that the server sees a reset. */
    private void finish(Conn c, boolean reset) {
        if (c.done) {
            return;
        }
        c.done = true;
        stats.connectionsFinished++;
        c.key.cancel();
        if (reset && !c.target.unix()) {
            try {
                c.ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException ignored) {
                // already closed by the peer: a plain close will do
            }
        }
        closeQuietly(c.ch);
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    // ------------------------------------------------------------------ UDP

    /** One UDP socket, connected to the server, sending a datagram every 20 ms and checking the echoes. */
    private final class UdpFlow {
        final DatagramChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(65_536);
        long nextSend;

        UdpFlow() throws IOException {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ch.connect(udpTarget);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, this);
        }

        /** Sends the datagrams due by now (a few at most, when this thread was kept from running a while). */
        void sendIfDue(long now) {
            if (now - nextSend > TimeUnit.SECONDS.toNanos(1)) {
                nextSend = now; // do not try to make up for more than a second
            }
            for (int i = 0; i < 5 && now >= nextSend; i++) {
                nextSend += UDP_INTERVAL_NANOS;
                send(now);
            }
        }

        private void send(long now) {
            int p = random.nextInt(100);
            // At least 1 byte: Netty never sends an empty datagram, so an empty one gets no echo (README: known
            // limitations).
            int size = p < 60 ? 1 + random.nextInt(512) : p < 85 ? 513 + random.nextInt(max - 512)
                    : p < 97 ? max + 1 + random.nextInt(16 * 1024)
                    : max + 1 + random.nextInt(Datagrams.MAX_PAYLOAD_BYTES - max);
            byte[] datagram = new byte[size];
            random.nextBytes(datagram);
            long seq = nextSeq++;
            if (size >= Long.BYTES) {
                ByteBuffer.wrap(datagram).putLong(seq);
            }
            try {
                if (ch.write(ByteBuffer.wrap(datagram)) == 0) {
                    return; // no room in the socket's buffer right now: not sent, nothing owed
                }
            } catch (IOException e) {
                stats.fail("UDP send of " + size + " bytes failed: " + e);
                return;
            }
            lastDatagramSent = now;
            stats.datagramsSent++;
            if (size > max) {
                stats.datagramsOverMaxFrame++;
            }
            if (size >= Long.BYTES) {
                datagramsOwed.put(seq, datagram);
            } else {
                smallDatagramsOwed.merge(HexFormat.of().formatHex(datagram), 1, Integer::sum);
            }
        }

        void receive() {
            while (true) {
                in.clear();
                try {
                    if (ch.receive(in) == null) {
                        return; // nothing more right now (read() could not tell this from an empty datagram)
                    }
                } catch (IOException e) {
                    stats.fail("UDP receive failed: " + e);
                    return;
                }
                in.flip();
                byte[] reply = new byte[in.remaining()];
                in.get(reply);
                check(reply);
            }
        }

        private void check(byte[] reply) {
            if (reply.length >= Long.BYTES) {
                long seq = ByteBuffer.wrap(reply).getLong();
                byte[] sent = datagramsOwed.remove(seq);
                if (sent == null || !Arrays.equals(sent, reply)) {
                    stats.fail("UDP: a " + reply.length + "-byte reply that is not the echo of a datagram owed one"
                            + (sent == null ? " (unknown or repeated sequence number " + seq + ")"
                            : " (datagram " + seq + " had " + sent.length + " bytes)"));
                    return;
                }
            } else {
                String key = HexFormat.of().formatHex(reply);
                Integer owed = smallDatagramsOwed.get(key);
                if (owed == null) {
                    stats.fail("UDP: a " + reply.length + "-byte reply matching no datagram sent: " + key);
                    return;
                }
                if (owed == 1) {
                    smallDatagramsOwed.remove(key);
                } else {
                    smallDatagramsOwed.put(key, owed - 1);
                }
            }
            stats.datagramsVerified++;
            stats.datagramBytesVerified += reply.length;
        }
    }
}
