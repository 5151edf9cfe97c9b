package io.echoack.server.fault;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.FaultKey;
import io.echoack.server.limits.CloseCounter;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.stream.EchoResponder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamFaultHandlerTest {

    private final List<FaultKey> injected = new ArrayList<>();
    private final CloseCounter closes = new CloseCounter();

    private EmbeddedChannel channel(ListenerFaults listener) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new StreamFaultHandler(listener, listener.nextRandom(), (f, c) -> injected.add(f),
                closes), EchoResponder.INSTANCE);
        return ch;
    }

    private EmbeddedChannel channel(String faults) {
        return channel(listener(faults, 1));
    }

    private static ListenerFaults listener(String faults, long seed) {
        return new ListenerFaults(Endpoint.parse("tcp://:0?" + faults), "tcp://:0", seed);
    }

    private static boolean answered(EmbeddedChannel ch, String message) {
        ch.writeInbound(Unpooled.copiedBuffer(message, US_ASCII));
        ByteBuf reply = ch.readOutbound();
        if (reply == null) {
            return false;
        }
        reply.release();
        return true;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    @Test
    void resetDiscardsTheMessageAndResetsTheConnection() {
        EmbeddedChannel ch = channel("reset=100%");
        assertFalse(answered(ch, "a"));
        assertFalse(ch.isOpen());
        assertTrue(StreamFaultHandler.resetting(ch));
        assertEquals(1, closes.count(CloseReason.FAULT_RESET));
        assertEquals(List.of(FaultKey.RESET), injected);
        assertFalse(ch.finish());
    }

    @Test
    void closeDiscardsTheMessageAndClosesTheConnection() {
        EmbeddedChannel ch = channel("close=100%");
        assertFalse(answered(ch, "a"));
        assertFalse(ch.isOpen());
        assertFalse(StreamFaultHandler.resetting(ch));
        assertEquals(1, closes.count(CloseReason.FAULT_CLOSE));
        assertFalse(ch.finish());
    }

    @Test
    void aBlackholedConnectionStaysOpenAndAnswersNothingMore() {
        EmbeddedChannel ch = channel("blackhole=100%");
        assertFalse(answered(ch, "a"));
        assertFalse(answered(ch, "b"));
        assertTrue(ch.isOpen());
        assertEquals(List.of(FaultKey.BLACKHOLE), injected, "counted once, when it starts");
        assertFalse(ch.finish());
    }

    @Test
    void zeroIsOffAndNothingIsDrawnOrCounted() {
        EmbeddedChannel ch = channel("reset=0&close=0%&slow-close=1ms");
        for (int i = 0; i < 1000; i++) {
            assertTrue(answered(ch, "m"));
        }
        assertEquals(List.of(), injected);
        assertFalse(ch.finish());
    }

    @Test
    void theSameSeedResetsTheSameMessagesOfTheSameConnections() {
        assertEquals(answeredBeforeReset(listener("reset=5%", 42)), answeredBeforeReset(listener("reset=5%", 42)));
        assertNotEquals(answeredBeforeReset(listener("reset=5%", 42)), answeredBeforeReset(listener("reset=5%", 43)));
    }

    /** For 50 connections in turn: how many messages each had answered before its reset. */
    private List<Integer> answeredBeforeReset(ListenerFaults listener) {
        List<Integer> counts = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            EmbeddedChannel ch = channel(listener);
            int n = 0;
            while (n < 10_000 && answered(ch, "m")) {
                n++;
            }
            assertFalse(ch.isOpen());
            counts.add(n);
            assertFalse(ch.finish());
        }
        return counts;
    }

    @Test
    void acceptDelayHoldsTheFirstReadBackExactlyThatLong() {
        ListenerFaults listener = listener("accept-delay=100ms", 1);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new StreamFaultHandler(listener, listener.nextRandom(), (f, c) -> injected.add(f),
                closes));
        ch.pipeline().fireChannelActive();
        assertFalse(ch.config().isAutoRead());
        advance(ch, 99);
        assertFalse(ch.config().isAutoRead());
        advance(ch, 1);
        assertTrue(ch.config().isAutoRead());
        assertEquals(List.of(FaultKey.ACCEPT_DELAY), injected);
        assertFalse(ch.finish());
    }

    @Test
    void slowCloseWaitsBeforeAServerClose() {
        EmbeddedChannel ch = channel("slow-close=1s");
        ch.pipeline().close(); // as a handler closes (EmbeddedChannel.close() cancels every timer)
        assertTrue(ch.isOpen());
        assertFalse(ch.config().isAutoRead(), "no more reading while it waits");
        advance(ch, 999);
        assertTrue(ch.isOpen());
        advance(ch, 1);
        assertFalse(ch.isOpen());
        assertEquals(List.of(FaultKey.SLOW_CLOSE), injected);
        assertNull(ch.readOutbound());
        assertFalse(ch.finish());
    }
}
