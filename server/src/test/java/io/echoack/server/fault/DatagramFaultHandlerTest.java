package io.echoack.server.fault;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.echoack.server.datagram.DatagramResponder;
import io.echoack.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DatagramFaultHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private final List<FaultKey> injected = new ArrayList<>();

    private EmbeddedChannel channel(String faults, long seed, DatagramFaultHandler.ExtraReplies extra) {
        ListenerFaults listener = new ListenerFaults(Endpoint.parse("udp://:0?" + faults), "udp://:0", seed);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new DatagramFaultHandler(listener, listener.nextRandom(), (f, c) -> injected.add(f),
                extra), new DatagramResponder(ReplyMode.ECHO, new byte[0], null,
                new ServerMetrics().listener("udp://:0")));
        return ch;
    }

    private EmbeddedChannel channel(String faults) {
        return channel(faults, 1, DatagramFaultHandler.ExtraReplies.UNLIMITED);
    }

    private static void send(EmbeddedChannel ch, String... texts) {
        for (String t : texts) {
            ch.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(t, US_ASCII), SERVER, CLIENT));
        }
    }

    private static List<String> replies(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        DatagramPacket p;
        while ((p = ch.readOutbound()) != null) {
            assertEquals(CLIENT, p.recipient());
            out.add(p.content().toString(US_ASCII));
            p.release();
        }
        return out;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    @Test
    void dropSendsNothing() {
        EmbeddedChannel ch = channel("drop=100%");
        send(ch, "a", "b");
        assertEquals(List.of(), replies(ch));
        assertEquals(List.of(FaultKey.DROP, FaultKey.DROP), injected);
        assertFalse(ch.finish());
    }

    @Test
    void corruptFlipsExactlyOneBitOfACopy() {
        EmbeddedChannel ch = channel("corrupt=100%");
        send(ch, "hello world");
        DatagramPacket p = ch.readOutbound();
        byte[] b = io.netty.buffer.ByteBufUtil.getBytes(p.content());
        p.release();
        String reply = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] a = "hello world".getBytes(US_ASCII);
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        assertEquals(1, bits, reply);
        assertFalse(ch.finish());
    }

    @Test
    void duplicateSendsTwiceOnlyWhenTheGuardPaysForIt() {
        EmbeddedChannel ch = channel("duplicate=100%");
        send(ch, "a");
        assertEquals(List.of("a", "a"), replies(ch));
        assertFalse(ch.finish());

        List<Integer> charged = new ArrayList<>();
        injected.clear();
        EmbeddedChannel refused = channel("duplicate=100%", 1, (to, bytes) -> {
            charged.add(bytes);
            return false;
        });
        send(refused, "abc");
        assertEquals(List.of("abc"), replies(refused));
        assertEquals(List.of(3), charged, "the duplicate was charged, and refused");
        assertEquals(List.of(), injected, "a duplicate not sent is not counted");
        assertFalse(refused.finish());
    }

    @Test
    void reorderSendsAReplyAfterTheNextOneOrAfterItsHold() {
        EmbeddedChannel ch = channel("reorder=100%");
        send(ch, "a", "b", "c");
        assertEquals(List.of("b", "a"), replies(ch));
        advance(ch, DatagramFaultHandler.REORDER_HOLD_MILLIS - 1);
        assertEquals(List.of(), replies(ch));
        advance(ch, 1);
        assertEquals(List.of("c"), replies(ch));
        assertFalse(ch.finish());
    }

    @Test
    void aChangeAppliesFromTheNextReplyAndNoneLetsAHeldReplyGoAfterTheNext() {
        ListenerFaults listener = new ListenerFaults(Endpoint.parse("udp://:0"), "udp://:0", 1);
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramFaultHandler(listener, listener.nextRandom(),
                (f, c) -> injected.add(f), DatagramFaultHandler.ExtraReplies.UNLIMITED),
                new DatagramResponder(ReplyMode.ECHO, new byte[0], null, new ServerMetrics().listener("udp://:0")));
        send(ch, "a");
        assertEquals(List.of("a"), replies(ch), "none: straight on");
        listener.replace(Faults.parse("drop=100%"));
        send(ch, "b");
        assertEquals(List.of(), replies(ch));
        listener.replace(Faults.parse("reorder=100%"));
        send(ch, "c");
        listener.replace(Faults.NONE);
        send(ch, "d");
        assertEquals(List.of("d", "c"), replies(ch), "the held one still goes, after the next");
        send(ch, "e");
        assertEquals(List.of("e"), replies(ch));
        assertEquals(List.of(FaultKey.DROP, FaultKey.REORDER), injected);
        assertFalse(ch.finish());
    }

    @Test
    void aDelayedReplyLeavesWhenDue() {
        EmbeddedChannel ch = channel("delay=50ms");
        send(ch, "a");
        advance(ch, 49);
        assertEquals(List.of(), replies(ch));
        advance(ch, 1);
        assertEquals(List.of("a"), replies(ch));
        assertFalse(ch.finish());
    }

    @Test
    void aSeedGivesExactDropCountsWithinBinomialBounds() {
        int first = dropped(42);
        assertEquals(first, dropped(42));
        // 10% of 2000: mean 200, sd ~13.4; six sd either way
        assertTrue(first > 200 - 81 && first < 200 + 81, "dropped " + first);
    }

    private int dropped(long seed) {
        EmbeddedChannel ch = channel("drop=10%", seed, DatagramFaultHandler.ExtraReplies.UNLIMITED);
        for (int i = 0; i < 2000; i++) {
            send(ch, "m");
        }
        int replies = replies(ch).size();
        assertFalse(ch.finish());
        return 2000 - replies;
    }

    @Test
    void repliesStillHeldWhenTheChannelClosesAreReleased() {
        EmbeddedChannel ch = channel("delay=1s&reorder=100%");
        List<io.netty.buffer.ByteBuf> requests = new ArrayList<>();
        for (String t : List.of("a", "b", "c")) {
            io.netty.buffer.ByteBuf content = Unpooled.copiedBuffer(t, US_ASCII);
            requests.add(content);
            ch.writeInbound(new DatagramPacket(content, SERVER, CLIENT));
        }
        assertFalse(ch.finish(), "closed with every reply still held: the delayed tasks are dropped, never run");
        assertEquals(List.of(), replies(ch));
        for (io.netty.buffer.ByteBuf request : requests) {
            assertEquals(0, request.refCnt(), "its echo was released");
        }
    }
}
