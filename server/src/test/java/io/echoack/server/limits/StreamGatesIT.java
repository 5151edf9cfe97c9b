package io.echoack.server.limits;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.access.SourceFilterHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The accept-time gates and the timeouts on real sockets, in a minimal line-echo pipeline laid out as the
 * server is meant to lay it out: source filter, connection limiter, timeouts, frame decoder, handlers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamGatesIT {

    private EventLoopGroup group;
    private Channel listener;
    private final CloseCounter closed = new CloseCounter();
    private final AtomicInteger activeSeen = new AtomicInteger();

    static Stream<Arguments> transports() {
        return TestTransports.available().map(Arguments::of);
    }

    /** Echoes each line; counts connections that reached it. */
    @Sharable
    private final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            activeSeen.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }
    }

    private InetSocketAddress start(Transport transport, SourceFilter filter, ConnectionCounter counter,
                                    Timeouts timeouts) {
        group = new MultiThreadIoEventLoopGroup(2, transport.ioHandlerFactory());
        SourceFilterHandler filterHandler = new SourceFilterHandler(filter, closed);
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        Echo echo = new Echo();
        TimeoutSweeper sweeper = new TimeoutSweeper(timeouts, closed);
        listener = new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverChannelFactory(EndpointKind.TCP))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("allow", filterHandler)
                                .addLast("limit", limiter)
                                .addLast("timeouts", new TimeoutHandler(sweeper, Framing.LINE))
                                .addLast("frames", Framing.LINE.newDecoder(1024))
                                .addLast("echo", echo);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        return (InetSocketAddress) listener.localAddress();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String exchange(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("closed after '" + sb + "'");
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** True when the server closed {@code s}: end of stream or a reset, within the socket's timeout. */
    /** True when a new connection to {@code address} is refused at once: the server's RST may fail the connect. */
    private static boolean refusedOnConnect(InetSocketAddress address) throws IOException {
        Socket s;
        try {
            s = connect(address);
        } catch (SocketException reset) {
            return true;
        }
        try (s) {
            return closedByServer(s);
        }
    }

    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 10 s");
            Thread.sleep(10);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void overTheLimitANewConnectionIsClosedAndTheOthersGoOn(Transport transport) throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(2, 0));
        InetSocketAddress address = start(transport, SourceFilter.ALLOW_ALL, counter, Timeouts.none());
        try (Socket a = connect(address); Socket b = connect(address)) {
            assertEquals("a", exchange(a, "a"));
            assertEquals("b", exchange(b, "b"));
            assertTrue(refusedOnConnect(address)); // the kernel accepts; the server resets it at once
            assertEquals("a again", exchange(a, "a again"));
            assertEquals("b again", exchange(b, "b again"));
            assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS));
            assertEquals(2, activeSeen.get(), "the refused connection never reached the handlers");
        }
        await(() -> counter.open() == 0);
        try (Socket d = connect(address)) {
            assertEquals("d", exchange(d, "d"));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aSourceOutsideTheAllowedRangesIsClosedAtAccept(Transport transport) throws Exception {
        ConnectionCounter counter = new ConnectionCounter(ConnectionLimits.defaults());
        InetSocketAddress address = start(transport, SourceFilter.parse(List.of("10.0.0.0/8", "::1")), counter,
                Timeouts.none());
        assertTrue(refusedOnConnect(address));
        assertEquals(1, closed.count(CloseReason.NOT_ALLOWED));
        assertEquals(0, counter.open(), "not even counted");
        assertEquals(0, activeSeen.get());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aSlowlorisPeerIsCutAtTheFrameTimeoutAndAChattyOneIsNot(Transport transport) throws Exception {
        ConnectionCounter counter = new ConnectionCounter(ConnectionLimits.defaults());
        InetSocketAddress address = start(transport, SourceFilter.ALLOW_ALL, counter,
                new Timeouts(Duration.ofSeconds(30), Duration.ofMillis(800)));
        try (Socket slow = connect(address); Socket chatty = connect(address)) {
            boolean cut = false;
            // One byte every 100 ms, never a newline, until the cut; bounded to 150 bytes (15 s and more). When
            // the cut comes (exactly at the frame timeout, never early) is TimeoutHandlerTest's
            // cutsASlowlorisPeerAtTheFrameTimeout, on a frozen clock; here, that it comes, and to whom.
            for (int i = 0; i < 150 && !cut; i++) {
                try {
                    slow.getOutputStream().write('x');
                    slow.getOutputStream().flush();
                } catch (SocketException e) {
                    cut = true;
                }
                assertEquals("line " + i, exchange(chatty, "line " + i));
                Thread.sleep(100);
                cut |= slow.getInputStream().available() == 0 && isClosed(slow);
            }
            assertTrue(cut || closedByServer(slow), "the slow peer was cut");
            assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
            assertEquals(0, closed.count(CloseReason.IDLE_TIMEOUT), "by its frame deadline, not the idle timeout");
            assertEquals("still here", exchange(chatty, "still here"));
        }
    }

    private static boolean isClosed(Socket s) throws IOException {
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            s.setSoTimeout(10_000);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aSilentPeerIsClosedAtTheIdleTimeout(Transport transport) throws Exception {
        ConnectionCounter counter = new ConnectionCounter(ConnectionLimits.defaults());
        InetSocketAddress address = start(transport, SourceFilter.ALLOW_ALL, counter,
                new Timeouts(Duration.ofMillis(700), Timeouts.DISABLED));
        try (Socket s = connect(address)) {
            assertEquals("hi", exchange(s, "hi"));
            // Closed, and for being idle. When (exactly at the idle timeout, never early) is TimeoutHandlerTest's
            // closesASilentConnectionAtTheIdleTimeout and everyReadPostponesTheIdleTimeout, on a frozen clock.
            assertTrue(closedByServer(s));
        }
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT));
        await(() -> counter.open() == 0);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void manySilentPeersAreClosedTogetherWhileTheTalkersAmongThemStay(Transport transport) throws Exception {
        ConnectionCounter counter = new ConnectionCounter(ConnectionLimits.defaults());
        InetSocketAddress address = start(transport, SourceFilter.ALLOW_ALL, counter,
                new Timeouts(Duration.ofSeconds(3), Timeouts.DISABLED));
        List<Socket> silent = new java.util.ArrayList<>();
        List<Socket> talkers = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) { // interleaved, so both kinds sit side by side on both event loops
                Socket s = connect(address);
                if (i % 10 == 0) {
                    assertEquals("hello", exchange(s, "hello"));
                    talkers.add(s);
                } else {
                    silent.add(s);
                }
            }
            await(() -> counter.open() == 60);
            // The talkers speak every 100 ms or so, the idle timeout is 3 s: however slow this machine, only the
            // silent peers can reach it. Talk until they have all been closed (bounded to 20 s).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int round = 0; closed.count(CloseReason.IDLE_TIMEOUT) < 54 && System.nanoTime() < deadline; round++) {
                for (Socket t : talkers) {
                    assertEquals("round " + round, exchange(t, "round " + round));
                }
                Thread.sleep(100);
            }
            for (Socket s : silent) {
                assertTrue(closedByServer(s), "a silent peer is closed");
            }
            assertEquals(54, closed.count(CloseReason.IDLE_TIMEOUT), "every silent peer, once");
            // The count is released in channelInactive, which may run just after a client saw its socket close.
            await(() -> counter.open() <= 6);
            assertEquals(6, counter.open(), "only the talkers are left");
            for (Socket t : talkers) {
                assertEquals("still here", exchange(t, "still here"));
            }
        } finally {
            for (Socket s : silent) {
                s.close();
            }
            for (Socket t : talkers) {
                t.close();
            }
        }
        await(() -> counter.open() == 0);
        assertEquals(54, closed.total());
    }
}
