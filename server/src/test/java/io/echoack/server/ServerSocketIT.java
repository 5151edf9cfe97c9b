package io.echoack.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.startup.ServerStartException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server over real sockets on loopback, with plain JDK clients, on every transport this machine has:
 * each behaviour a user relies on, per socket kind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerSocketIT {

    @TempDir
    Path dir;

    static Stream<Arguments> transports() {
        return TestTransports.available().map(Arguments::of);
    }

    private RunningServer start(Transport transport, ServerConfig config) throws ServerStartException {
        return EchoAckServer.start(config.withTransport(transport).withThreads(2));
    }

    private RunningServer start(Transport transport, String... endpoints) throws ServerStartException {
        return start(transport, ServerConfig.defaults().withListen(endpoints));
    }

    private String sock(String name) {
        return "unix://" + dir.resolve(name);
    }

    private static InetSocketAddress inet(Endpoint e) {
        return new InetSocketAddress(e.host(), e.port());
    }

    /** Reads until {@code n} bytes arrived or the peer closed. */
    private static byte[] readN(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    private static String roundTrip(Socket s, String send, int expectBytes) throws IOException {
        s.getOutputStream().write(send.getBytes(US_ASCII));
        return new String(readN(s.getInputStream(), expectBytes), US_ASCII);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void tcpAckAndEchoOverIpv4AndIpv6(Transport transport) throws Exception {
        try (RunningServer server = start(transport, "tcp://127.0.0.1:0", "tcp://[::1]:0?mode=echo&framing=line")) {
            try (Socket s = new Socket()) {
                s.connect(inet(server.boundEndpoints().get(0)), 5000);
                assertEquals("I got your message\n", roundTrip(s, "hello\n", 19));
                assertEquals("I got your message\n", roundTrip(s, "again\r\n", 19));
            }
            try (Socket s = new Socket()) {
                s.connect(inet(server.boundEndpoints().get(1)), 5000);
                assertEquals("hello ipv6\r\n", roundTrip(s, "hello ipv6\r\n", 12));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void unixStreamAckAndEcho(Transport transport) throws Exception {
        try (RunningServer server = start(transport, sock("a.sock"), sock("e.sock") + "?mode=echo")) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(dir.resolve("a.sock")));
                ch.write(ByteBuffer.wrap("hi\n".getBytes(US_ASCII)));
                assertEquals("I got your message\n",
                        new String(Channels.newInputStream(ch).readNBytes(19), US_ASCII));
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(dir.resolve("e.sock")));
                ch.write(ByteBuffer.wrap("raw bytes".getBytes(US_ASCII)));
                assertEquals("raw bytes", new String(Channels.newInputStream(ch).readNBytes(9), US_ASCII));
            }
        }
        assertTrue(!dir.resolve("a.sock").toFile().exists(), "socket files are removed on close");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void udpAckAndEcho(Transport transport) throws Exception {
        try (RunningServer server = start(transport, "udp://127.0.0.1:0", "udp://127.0.0.1:0?mode=echo");
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5000);
            assertEquals("Got your message", udp(client, server.boundEndpoints().get(0), "hello".getBytes(US_ASCII)));
            byte[] big = new byte[20_000]; // larger than Netty's default 2048-byte datagram buffer
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            DatagramPacket out = new DatagramPacket(big, big.length, inet(server.boundEndpoints().get(1)));
            client.send(out);
            DatagramPacket in = new DatagramPacket(new byte[65536], 65536);
            client.receive(in);
            assertEquals(big.length, in.getLength(), "no truncation");
            assertArrayEquals(big, java.util.Arrays.copyOf(in.getData(), in.getLength()));
        }
    }

    private static String udp(DatagramSocket client, Endpoint to, byte[] payload) throws IOException {
        client.send(new DatagramPacket(payload, payload.length, inet(to)));
        DatagramPacket in = new DatagramPacket(new byte[65536], 65536);
        client.receive(in);
        return new String(in.getData(), 0, in.getLength(), US_ASCII);
    }

    @Test
    void unixDatagramAckAndEcho() throws Exception {
        TestTransports.assumeAvailable(Transport.EPOLL);
        Path ack = dir.resolve("ack.gram");
        Path echo = dir.resolve("echo.gram");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                Transport.EPOLL.ioHandlerFactory());
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        try (RunningServer server = start(Transport.EPOLL, "unixgram://" + ack, "unixgram://" + echo + "?mode=echo")) {
            Channel client = new Bootstrap().group(group)
                    .channelFactory(Transport.EPOLL.datagramChannelFactory(EndpointKind.UNIXGRAM))
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx,
                                                    DomainDatagramPacket p) {
                            replies.add(p.content().toString(US_ASCII));
                        }
                    })
                    .bind(new DomainSocketAddress(dir.resolve("client.gram").toString()))
                    .sync().channel();
            client.writeAndFlush(new DomainDatagramPacket(
                    Unpooled.copiedBuffer("hello", US_ASCII),
                    new DomainSocketAddress(ack.toString()))).sync();
            assertEquals("Got your message", replies.poll(5, TimeUnit.SECONDS));
            client.writeAndFlush(new DomainDatagramPacket(
                    Unpooled.copiedBuffer("same\r\n", US_ASCII),
                    new DomainSocketAddress(echo.toString()))).sync();
            assertEquals("same\r\n", replies.poll(5, TimeUnit.SECONDS));
            client.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assertTrue(!ack.toFile().exists() && !echo.toFile().exists(), "datagram socket files removed on close");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void pipelinedMessagesAreAnsweredInOrder(Transport transport) throws Exception {
        try (RunningServer server = start(transport, "tcp://127.0.0.1:0?mode=echo&framing=line");
             Socket s = new Socket()) {
            s.connect(inet(server.boundEndpoints().get(0)), 5000);
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                all.append("message ").append(i).append('\n');
            }
            String expected = all.toString();
            assertEquals(expected, roundTrip(s, expected, expected.length()));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void messageSplitOverSeveralWrites(Transport transport) throws Exception {
        try (RunningServer server = start(transport, "tcp://127.0.0.1:0", "tcp://127.0.0.1:0?mode=echo&framing=length");
             Socket s = new Socket(); Socket l = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(inet(server.boundEndpoints().get(0)), 5000);
            OutputStream out = s.getOutputStream();
            for (String part : new String[] {"he", "ll", "o", "\r", "\n"}) {
                out.write(part.getBytes(US_ASCII));
                out.flush();
            }
            assertEquals("I got your message\n", new String(readN(s.getInputStream(), 19), US_ASCII));

            l.setTcpNoDelay(true);
            l.connect(inet(server.boundEndpoints().get(1)), 5000);
            byte[] frame = Framing.LENGTH.frame("split frame".getBytes(US_ASCII));
            for (byte b : frame) {
                l.getOutputStream().write(b);
                l.getOutputStream().flush();
            }
            assertArrayEquals(frame, readN(l.getInputStream(), frame.length));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void binaryBytesEchoUnchanged(Transport transport) throws Exception {
        byte[] all = new byte[256 * 4];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        try (RunningServer server = start(transport, "tcp://127.0.0.1:0?mode=echo", "tcp://127.0.0.1:0?mode=echo&framing=length")) {
            try (Socket s = new Socket()) {
                s.connect(inet(server.boundEndpoints().get(0)), 5000);
                s.getOutputStream().write(all);
                assertArrayEquals(all, readN(s.getInputStream(), all.length));
            }
            try (Socket s = new Socket()) {
                s.connect(inet(server.boundEndpoints().get(1)), 5000);
                byte[] frame = Framing.LENGTH.frame(all);
                s.getOutputStream().write(frame);
                assertArrayEquals(frame, readN(s.getInputStream(), frame.length));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void halfClosedPeerStillGetsEveryReply(Transport transport) throws Exception {
        try (RunningServer server = start(transport, "tcp://127.0.0.1:0", sock("h.sock"))) {
            try (Socket s = new Socket()) {
                s.connect(inet(server.boundEndpoints().get(0)), 5000);
                s.getOutputStream().write("one\ntwo\nlast, unterminated".getBytes(US_ASCII));
                s.shutdownOutput();
                assertEquals("I got your message\n".repeat(3),
                        new String(s.getInputStream().readAllBytes(), US_ASCII), "replies, then EOF");
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(dir.resolve("h.sock")));
                boolean halfClose = transport.supportsHalfClosure(EndpointKind.UNIX);
                // Without half-closure (NIO, io_uring) the last, unterminated message cannot be answered.
                ch.write(ByteBuffer.wrap((halfClose ? "x\nunterminated" : "x\ny\n").getBytes(US_ASCII)));
                ch.shutdownOutput();
                assertEquals("I got your message\n".repeat(2),
                        new String(Channels.newInputStream(ch).readAllBytes(), US_ASCII));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void oversizedLineIsAnsweredWithAnErrorAndTheConnectionGoesOn(Transport transport) throws Exception {
        ServerConfig config = ServerConfig.defaults().withListen("tcp://127.0.0.1:0").withMaxFrameLength(32);
        try (RunningServer server = start(transport, config); Socket s = new Socket()) {
            s.connect(inet(server.boundEndpoints().get(0)), 5000);
            String expected = "I got your message\nERROR: message longer than 32 bytes\nI got your message\n";
            assertEquals(expected, roundTrip(s, "ok\n" + "x".repeat(1000) + "\nstill here\n", expected.length()));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void oversizedLengthFrameClosesAfterEarlierReplies(Transport transport) throws Exception {
        ServerConfig config = ServerConfig.defaults().withListen("tcp://127.0.0.1:0?framing=length")
                .withMaxFrameLength(32);
        try (RunningServer server = start(transport, config); Socket s = new Socket()) {
            s.connect(inet(server.boundEndpoints().get(0)), 5000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(Framing.LENGTH.frame("fine".getBytes(US_ASCII)));
            out.write(new byte[] {0x7f, 0, 0, 0}); // 2 GB announced
            s.getOutputStream().write(out.toByteArray());
            byte[] reply = s.getInputStream().readAllBytes(); // ends with the server's close
            assertArrayEquals(Framing.LENGTH.frame("I got your message".getBytes(US_ASCII)),
                    reply);
        }
    }

    /**
     * A peer that sets out to send 1 GiB without ever reading: the server stops reading from it once its
     * replies back up, so the sender blocks long before, and the server's buffer memory stays bounded.
     */
    @ParameterizedTest
    @MethodSource("transports")
    void peerThatNeverReadsIsThrottledNotBuffered(Transport transport) throws Exception {
        assumeTrue(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider);
        long limit = 1L << 30; // 1 GiB
        try (RunningServer server = start(transport, "tcp://127.0.0.1:0?mode=echo"); Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(inet(server.boundEndpoints().get(0)), 5000);
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[256 * 1024];
                try {
                    OutputStream out = s.getOutputStream();
                    while (sent.get() < limit) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException closed) {
                    // the test closed the socket
                }
            }, "non-reading-writer");
            writer.setDaemon(true);
            writer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long last = -1;
            while (System.nanoTime() < deadline && sent.get() < limit) {
                Thread.sleep(500);
                long now = sent.get();
                if (now == last) {
                    break; // the writer is blocked: the server stopped reading
                }
                last = now;
            }
            long stalledAt = sent.get();
            long used = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory()
                    + ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedHeapMemory();
            assertTrue(stalledAt < limit, "the sender must be blocked, sent " + stalledAt);
            assertTrue(used < 64L * 1024 * 1024, "server buffers stayed bounded: " + used + " bytes in use after "
                    + stalledAt + " bytes were sent");
            s.close();
            writer.join(10_000);
        }
    }
}
