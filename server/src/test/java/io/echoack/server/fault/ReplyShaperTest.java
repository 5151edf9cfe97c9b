package io.echoack.server.fault;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.FaultKey;
import io.echoack.server.limits.CloseCounter;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.stream.EchoResponder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Frozen time, moved by the test one millisecond at a time: replies leave exactly when they are due. */
class ReplyShaperTest {

    private final List<FaultKey> injected = new ArrayList<>();
    private final CloseCounter closes = new CloseCounter();

    private EmbeddedChannel channel(String faults) {
        ListenerFaults listener = new ListenerFaults(Endpoint.parse("tcp://:0?" + faults), "tcp://:0", 1);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new ReplyShaper(listener, listener.nextRandom(), (f, c) -> injected.add(f), closes),
                EchoResponder.INSTANCE);
        return ch;
    }

    private static void send(EmbeddedChannel ch, String... messages) {
        for (String m : messages) {
            ch.writeInbound(Unpooled.copiedBuffer(m, US_ASCII));
        }
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        for (long i = 0; i < millis; i++) {
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
    }

    /** Everything written so far, one string per write. */
    private static List<String> written(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.add(b.toString(US_ASCII));
            b.release();
        }
        return out;
    }

    @Test
    void aDelayedReplyLeavesWhenDueNeverEarly() {
        EmbeddedChannel ch = channel("delay=50ms");
        send(ch, "a");
        advance(ch, 49);
        assertEquals(List.of(), written(ch));
        advance(ch, 1);
        assertEquals(List.of("a"), written(ch));
        assertEquals(List.of(FaultKey.DELAY), injected);
        assertFalse(ch.finish());
    }

    @Test
    void jitterNeverReordersReplies() {
        EmbeddedChannel ch = channel("delay=10ms&jitter=10ms");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add("m" + i + ";");
            send(ch, "m" + i + ";");
            advance(ch, 1);
        }
        advance(ch, 25);
        assertEquals(String.join("", sent), String.join("", written(ch)));
        assertFalse(ch.finish());
    }

    @Test
    void slicesLeaveSliceDelayApart() {
        EmbeddedChannel ch = channel("slice=3&slice-delay=5ms");
        send(ch, "abcdefgh");
        assertEquals(List.of("abc"), written(ch));
        advance(ch, 4);
        assertEquals(List.of(), written(ch));
        advance(ch, 1);
        assertEquals(List.of("def"), written(ch));
        advance(ch, 5);
        assertEquals(List.of("gh"), written(ch));
        assertEquals(List.of(FaultKey.SLICE), injected, "counted once per reply");
        assertFalse(ch.finish());
    }

    @Test
    void bandwidthPacesRepliesToTheirSize() {
        EmbeddedChannel ch = channel("bandwidth=100B/s"); // 5 bytes per 50 ms
        send(ch, "0123456789", "abcdefghij");
        assertEquals(List.of("01234"), written(ch));
        int bytes = 5;
        long elapsed = 0;
        while (bytes < 20 && elapsed < 1000) {
            advance(ch, 1);
            elapsed++;
            bytes += String.join("", written(ch)).length();
        }
        assertEquals(20, bytes);
        assertEquals(150, elapsed, "20 bytes at 100 B/s: the last 5 leave at 150 ms");
        assertTrue(injected.contains(FaultKey.BANDWIDTH));
        assertFalse(ch.finish());
    }

    @Test
    void closeAfterSendsThatManyBytesThenCloses() {
        EmbeddedChannel ch = channel("close-after=5");
        send(ch, "abc", "abc");
        assertEquals(List.of("abc", "ab"), written(ch));
        assertFalse(ch.isOpen());
        assertEquals(1, closes.count(CloseReason.FAULT_CLOSE));
        assertEquals(List.of(FaultKey.CLOSE_AFTER), injected);
        assertFalse(ch.finish());
    }

    @Test
    void resetAfterResets() {
        EmbeddedChannel ch = channel("reset-after=4&close-after=10");
        send(ch, "abc", "abc");
        assertEquals(List.of("abc", "a"), written(ch));
        assertFalse(ch.isOpen());
        assertTrue(StreamFaultHandler.resetting(ch));
        assertEquals(1, closes.count(CloseReason.FAULT_RESET));
        assertFalse(ch.finish());
    }

    @Test
    void heldRepliesPastTheHighWaterMarkStopReadingUntilTheyDrain() {
        EmbeddedChannel ch = channel("delay=10ms");
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        send(ch, "0123456789", "0123456789");
        assertFalse(ch.config().isAutoRead());
        advance(ch, 10);
        assertEquals(2, written(ch).size());
        assertTrue(ch.config().isAutoRead());
        assertFalse(ch.finish());
    }

    @Test
    void aCloseWaitsForTheHeldRepliesAndAResetDoesNot() {
        EmbeddedChannel ch = channel("delay=10ms");
        send(ch, "a");
        ch.pipeline().close(); // as a handler closes (EmbeddedChannel.close() cancels every timer)
        assertTrue(ch.isOpen());
        advance(ch, 10);
        assertEquals(List.of("a"), written(ch));
        assertFalse(ch.isOpen());

        EmbeddedChannel reset = channel("delay=10ms");
        send(reset, "a");
        StreamFaultHandler.reset(reset, FaultKey.RESET, (f, c) -> { }, closes);
        assertFalse(reset.isOpen());
        assertEquals(List.of(), written(reset));
        assertFalse(reset.finish());
    }
}
