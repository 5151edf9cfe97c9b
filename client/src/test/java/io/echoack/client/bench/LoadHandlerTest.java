package io.echoack.client.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.net.ProxyHeader;
import io.echoack.common.endpoint.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The persistent connection handlers on an EmbeddedChannel: what they send, count and record. */
class LoadHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private static BenchRun run(String endpoint, int count, int pipeline) {
        BenchConfig config = BenchConfig.builder(Endpoint.parse(endpoint)).count(count).pipeline(pipeline)
                .warmup(Duration.ZERO).timeout(Duration.ofSeconds(1)).size(16).build();
        BenchRun run = new BenchRun(config, Payload.of(config), SERVER, null, new StopSignal());
        run.times(RunTimes.of(System.nanoTime() - 1_000, 0, 0));
        return run;
    }

    /**
     * Each stream connection's pipeline starts with the connect timer, the watcher, then its PROXY header's handlers,
     * then TLS.
     */
    @Test
    void aStreamConnectionSendsItsProxyHeaderAfterTheWatcherBeforeAnythingElse() {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7")).count(1)
                .proxyHeader(ProxyHeader.of(ProxyHeader.Version.V1)).build();
        BenchRun run = new BenchRun(config, Payload.of(config), SERVER, null, new StopSignal());
        EmbeddedChannel channel = new EmbeddedChannel();
        run.addFirstStreamHandlers(channel, new LoopStats());
        assertEquals(List.of("connect-timer", "closed-after-accept", "proxyHeaderEncoder", "proxyHeader"),
                channel.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")).toList());
        BenchRun plain = run("tcp://127.0.0.1:7", 1, 1);
        EmbeddedChannel without = new EmbeddedChannel();
        plain.addFirstStreamHandlers(without, new LoopStats());
        assertEquals(List.of("connect-timer", "closed-after-accept"),
                without.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")).toList());
        assertFalse(channel.finishAndReleaseAll());
        assertFalse(without.finishAndReleaseAll());
    }

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(US_ASCII);
        } finally {
            buf.release();
        }
    }

    @Test
    void aClosedLoopKeepsThePipelineFullAndEndsAfterItsCount() {
        BenchRun run = run("tcp://127.0.0.1:7?mode=echo", 4, 2);
        LoopStats stats = new LoopStats();
        StreamLoadHandler handler = new StreamLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        String frame = "ABCDEFGHIJKLMNOP\n";
        assertEquals(frame, text(channel.readOutbound()));
        assertEquals(frame, text(channel.readOutbound()));
        assertNull(channel.readOutbound(), "pipeline 2");
        channel.writeInbound(Unpooled.copiedBuffer("ABCDEFGH", US_ASCII));
        assertNull(channel.readOutbound(), "half a reply frees nothing");
        channel.writeInbound(Unpooled.copiedBuffer("IJKLMNOP\nABCDEFGHIJKLMNOP\n", US_ASCII));
        assertEquals(frame, text(channel.readOutbound()));
        assertEquals(frame, text(channel.readOutbound()));
        assertNull(channel.readOutbound());
        assertEquals(1, run.finished.getCount());
        channel.writeInbound(Unpooled.copiedBuffer("ABCDEFGHIJKLMNOP\nwrong\n", US_ASCII));
        assertEquals(0, run.finished.getCount());
        assertFalse(channel.isOpen());
        assertEquals(4, stats.measured.get(Counter.SENT));
        assertEquals(3, stats.measured.get(Counter.OK));
        assertEquals(1, stats.measured.get(Counter.MISMATCH));
        assertEquals(0, run.failedConnections.get());
        Histogramless.assertRecorded(stats.measured, 3);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aTimeoutFailsEveryMessageInFlightAndClosesTheConnection() {
        BenchRun run = run("tcp://127.0.0.1:7?mode=echo", 10, 3);
        LoopStats stats = new LoopStats();
        StreamLoadHandler handler = new StreamLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        handler.expire(System.nanoTime());
        assertTrue(channel.isOpen(), "not yet");
        handler.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        assertFalse(channel.isOpen());
        assertEquals(3, stats.measured.get(Counter.TIMEOUT));
        assertEquals(1, run.failedConnections.get());
        assertEquals(0, run.finished.getCount());
        channel.finishAndReleaseAll();
    }

    @Test
    void aServerThatClosesClosesTheMessagesInFlightAndUnsolicitedBytesAreAMismatch() {
        BenchRun run = run("tcp://127.0.0.1:7?mode=echo", 10, 2);
        LoopStats stats = new LoopStats();
        StreamLoadHandler handler = new StreamLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        channel.pipeline().fireChannelInactive(); // end of stream: the server's FIN
        assertEquals(2, stats.measured.get(Counter.CLOSED));
        assertEquals(0, stats.measured.get(Counter.RESET));
        assertEquals(1, run.failedConnections.get());
        channel.finishAndReleaseAll();

        BenchRun second = run("tcp://127.0.0.1:7?mode=ack", 1, 1);
        LoopStats secondStats = new LoopStats();
        StreamLoadHandler quiet = new StreamLoadHandler(second, secondStats, 0);
        EmbeddedChannel other = new EmbeddedChannel(quiet);
        quiet.start();
        other.writeInbound(Unpooled.copiedBuffer("I got your message\nhello?\n", US_ASCII));
        assertEquals(1, secondStats.measured.get(Counter.OK));
        assertEquals(1, secondStats.measured.get(Counter.MISMATCH), "the line nobody asked for");
        assertFalse(other.isOpen());
        other.finishAndReleaseAll();
    }

    /** An RST surfaces as an exception, as each transport words it, and then the channel goes inactive. */
    @Test
    void aServerThatResetsResetsTheMessagesInFlightOnEveryTransport() {
        for (String reset : List.of("Connection reset", // NIO's read
                "recvAddress(..) failed with error(-104): Connection reset by peer", // epoll's read
                "writevAddresses(..) failed with error(-32): Broken pipe")) { // a write after it
            BenchRun run = run("tcp://127.0.0.1:7?mode=echo", 10, 3);
            LoopStats stats = new LoopStats();
            StreamLoadHandler handler = new StreamLoadHandler(run, stats, 0);
            EmbeddedChannel channel = new EmbeddedChannel(handler);
            handler.start();
            channel.pipeline().fireExceptionCaught(new IOException(reset));
            channel.pipeline().fireChannelInactive();
            assertEquals(3, stats.measured.get(Counter.RESET), reset);
            assertEquals(0, stats.measured.get(Counter.CLOSED), reset);
            assertEquals(1, run.failedConnections.get(), reset);
            channel.finishAndReleaseAll();
        }
    }

    /** A connection with nothing in flight that the server closes counts once, as closed. */
    @Test
    void aServerThatClosesAnIdleConnectionCountsOnce() {
        BenchRun run = run("tcp://127.0.0.1:7?mode=echo", 1, 1);
        LoopStats stats = new LoopStats();
        StreamLoadHandler handler = new StreamLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        ((ByteBuf) channel.readOutbound()).release();
        channel.writeInbound(Unpooled.copiedBuffer("ABCDEFGHIJKLMNOP\n", US_ASCII));
        assertEquals(0, run.finished.getCount(), "its one message answered: done, and closed by bench");
        channel.pipeline().fireChannelInactive();
        assertEquals(0, stats.measured.get(Counter.CLOSED), "bench's own close is nobody's failure");
        channel.finishAndReleaseAll();
    }

    @Test
    void datagramEchoesAreMatchedBySequenceNumber() {
        BenchRun run = run("udp://127.0.0.1:7?mode=echo", 4, 3);
        LoopStats stats = new LoopStats();
        DatagramLoadHandler handler = new DatagramLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        ByteBuf[] sent = new ByteBuf[3];
        for (int i = 0; i < 3; i++) {
            sent[i] = channel.readOutbound();
            assertEquals(i, sent[i].getLong(0));
            assertEquals("IJKLMNOP", sent[i].toString(8, 8, US_ASCII));
        }
        assertNull(channel.readOutbound());
        channel.writeInbound(new DatagramPacket(sent[2].retainedDuplicate(), CLIENT, SERVER));
        ByteBuf fourth = channel.readOutbound(); // a slot was freed
        assertEquals(3, fourth.getLong(0));
        channel.writeInbound(new DatagramPacket(sent[0].retainedDuplicate(), CLIENT, SERVER));
        channel.writeInbound(new DatagramPacket(sent[2].retainedDuplicate(), CLIENT, SERVER));
        ByteBuf corrupt = fourth.copy().setByte(15, 'x');
        channel.writeInbound(new DatagramPacket(corrupt, CLIENT, SERVER));
        assertEquals(1, run.finished.getCount(), "datagram 1 still waits");
        handler.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        channel.writeInbound(new DatagramPacket(sent[1].retainedDuplicate(), CLIENT, SERVER));
        assertEquals(4, stats.measured.get(Counter.SENT));
        assertEquals(2, stats.measured.get(Counter.OK));
        assertEquals(1, stats.measured.get(Counter.REORDERED));
        assertEquals(1, stats.measured.get(Counter.DUPLICATE));
        assertEquals(1, stats.measured.get(Counter.MISMATCH));
        assertEquals(1, stats.measured.get(Counter.LOST));
        assertEquals(1, stats.measured.get(Counter.LATE));
        assertEquals(0, run.finished.getCount());
        for (ByteBuf b : sent) {
            b.release();
        }
        fourth.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aStreamFrameIsWrittenFromACopyKeptForItOnceItsLastWriteIsDone() {
        BenchRun run = run("tcp://127.0.0.1:7?mode=echo", 3, 1);
        LoopStats stats = new LoopStats();
        StreamLoadHandler handler = new StreamLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        ByteBuf first = channel.readOutbound();
        assertEquals("ABCDEFGHIJKLMNOP\n", first.toString(US_ASCII));
        first.skipBytes(5); // partly written, then done
        first.release();
        channel.writeInbound(Unpooled.copiedBuffer("ABCDEFGHIJKLMNOP\n", US_ASCII));
        ByteBuf second = channel.readOutbound();
        assertSame(first, second, "written again");
        assertEquals("ABCDEFGHIJKLMNOP\n", second.toString(US_ASCII), "whole again");
        channel.writeInbound(Unpooled.copiedBuffer("ABCDEFGHIJKLMNOP\n", US_ASCII));
        ByteBuf third = channel.readOutbound(); // the second is still held (not written yet): a view of the frame
        assertNotSame(second, third);
        assertEquals("ABCDEFGHIJKLMNOP\n", third.toString(US_ASCII));
        second.release();
        third.release();
        channel.writeInbound(Unpooled.copiedBuffer("ABCDEFGHIJKLMNOP\n", US_ASCII));
        assertEquals(3, stats.measured.get(Counter.OK));
        assertEquals(0, run.finished.getCount());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aDatagramIsWrittenAgainOnlyOnceItsLastWriteIsDoneAndNeverChangesWhileHeld() {
        BenchRun run = run("udp://127.0.0.1:7?mode=echo", 4, 1);
        LoopStats stats = new LoopStats();
        DatagramLoadHandler handler = new DatagramLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        ByteBuf first = channel.readOutbound();
        long kept = first.memoryAddress();
        channel.writeInbound(new DatagramPacket(first.retainedDuplicate(), CLIENT, SERVER));
        ByteBuf second = channel.readOutbound(); // the first is still held (not written yet): a new buffer
        assertEquals(0, first.getLong(0), "a datagram being written keeps its sequence number");
        assertEquals(1, second.getLong(0));
        assertTrue(second.memoryAddress() != kept);
        first.release(); // written
        channel.writeInbound(new DatagramPacket(second.retainedDuplicate(), CLIENT, SERVER));
        second.release();
        ByteBuf third = channel.readOutbound();
        assertEquals(kept, third.memoryAddress(), "renumbered in place");
        assertEquals(2, third.getLong(0));
        assertEquals("IJKLMNOP", third.toString(8, 8, US_ASCII));
        channel.writeInbound(new DatagramPacket(third.copy(), CLIENT, SERVER));
        third.release();
        ByteBuf fourth = channel.readOutbound();
        channel.writeInbound(new DatagramPacket(fourth, CLIENT, SERVER));
        assertEquals(4, stats.measured.get(Counter.OK));
        assertEquals(0, run.finished.getCount());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anAckToAnEchoDatagramAnswersTheOldestOneWrongAndStopsTheRun() {
        BenchRun run = run("udp://127.0.0.1:7?mode=echo", 100, 2);
        LoopStats stats = new LoopStats();
        DatagramLoadHandler handler = new DatagramLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        ((ByteBuf) channel.readOutbound()).release();
        ((ByteBuf) channel.readOutbound()).release();
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("Got your message", US_ASCII), CLIENT, SERVER));
        assertEquals(StopReason.WRONG_REPLY, run.stop.reason());
        assertEquals("\"Got your message\" (16 bytes)", run.firstWrongReply().toString());
        assertNull(channel.readOutbound(), "no more datagrams after a wrong reply");
        assertEquals(1, run.finished.getCount(), "the second datagram still waits");
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("Got your message", US_ASCII), CLIENT, SERVER));
        assertEquals(0, run.finished.getCount());
        assertEquals(2, stats.measured.get(Counter.SENT));
        assertEquals(2, stats.measured.get(Counter.MISMATCH), "one wrong reply per datagram");
        assertEquals(0, stats.measured.get(Counter.LOST), "a datagram answered wrongly is not lost as well");
        channel.finishAndReleaseAll();
    }

    @Test
    void aWrongStreamReplyIsShownAndStopsTheRun() {
        BenchRun run = run("tcp://127.0.0.1:7?mode=echo", 100, 1);
        LoopStats stats = new LoopStats();
        StreamLoadHandler handler = new StreamLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        ((ByteBuf) channel.readOutbound()).release();
        channel.writeInbound(Unpooled.copiedBuffer("I got your message\n", US_ASCII));
        assertEquals(StopReason.WRONG_REPLY, run.stop.reason());
        assertEquals("\"I got your message\" (18 bytes)", run.firstWrongReply().toString());
        assertNull(channel.readOutbound());
        assertEquals(0, run.finished.getCount());
        assertEquals(1, stats.measured.get(Counter.MISMATCH));
        channel.finishAndReleaseAll();
    }

    @Test
    void datagramAcksAreCountedFirstInFirstOut() {
        BenchRun run = run("udp://127.0.0.1:7?mode=ack", 3, 2);
        LoopStats stats = new LoopStats();
        DatagramLoadHandler handler = new DatagramLoadHandler(run, stats, 0);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        handler.start();
        assertEquals("ABCDEFGHIJKLMNOP", text(channel.readOutbound()));
        assertEquals("ABCDEFGHIJKLMNOP", text(channel.readOutbound()));
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("Got your message", US_ASCII), CLIENT, SERVER));
        assertEquals("ABCDEFGHIJKLMNOP", text(channel.readOutbound()), "the third and last");
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("Got your massage", US_ASCII), CLIENT, SERVER));
        assertNull(channel.readOutbound());
        handler.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(2)); // the third is lost
        assertEquals(1, run.finished.getCount());
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("Got your message", US_ASCII), CLIENT, SERVER));
        assertEquals(1, stats.measured.get(Counter.OK));
        assertEquals(1, stats.measured.get(Counter.MISMATCH));
        assertEquals(1, stats.measured.get(Counter.LOST));
        assertEquals(1, stats.measured.get(Counter.DUPLICATE), "a reply no datagram waits for");
        assertEquals(0, run.finished.getCount());
        channel.finishAndReleaseAll();
    }

    /** Reads a phase's latency recorder. */
    private static final class Histogramless {
        static void assertRecorded(PhaseStats phase, long expected) {
            org.HdrHistogram.Histogram h = PhaseStats.newHistogram();
            phase.drainLatencyInto(h);
            assertEquals(expected, h.getTotalCount());
        }
    }
}
