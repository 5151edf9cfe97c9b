package io.echoack.server.limits;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.server.live.LiveSetting;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeoutHandlerTest {

    private static final Timeouts DEFAULTS = Timeouts.defaults(); // 300 s idle, 30 s frame

    private final CloseCounter closed = new CloseCounter();

    /** The sweeper of the last channel made: its tick is how the tests' clock moves. */
    private TimeoutSweeper sweeper;

    /** A channel whose clock only moves when the test says so. */
    private EmbeddedChannel channel(Timeouts timeouts, Framing framing, ChannelHandler... after) {
        return channel(LiveSetting.of(timeouts), framing, after);
    }

    /** A channel whose timeouts are {@code timeouts} as they change (a reload). */
    private EmbeddedChannel channel(LiveSetting<Timeouts> timeouts, Framing framing, ChannelHandler... after) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        sweeper = new TimeoutSweeper(timeouts, closed);
        ch.pipeline().addLast(new TimeoutHandler(sweeper, framing));
        if (framing.delimitsMessages()) {
            ch.pipeline().addLast(framing.newDecoder(64 * 1024));
        }
        ch.pipeline().addLast(after);
        ch.pipeline().addLast(new Sink());
        return ch;
    }

    /**
     * Lets {@code millis} pass, a tick at a time (as a real clock would, so that every sweep runs), and runs
     * what became due.
     */
    private void advance(EmbeddedChannel ch, long millis) {
        long tick = sweeper.timeouts().disabled() ? millis : sweeper.tick().toMillis();
        for (long left = millis; left > 0; left -= tick) {
            ch.advanceTimeBy(Math.min(tick, left), TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
    }

    /** How late a timeout may fire: two ticks (activity is stamped at the sweep after it). */
    private long late() {
        return 2 * sweeper.tick().toMillis();
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
    }

    private static void send(EmbeddedChannel ch, byte... bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** Releases every message that reaches the end of the pipeline, counting them. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final List<String> messages = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add(((ByteBuf) msg).toString(US_ASCII));
            ReferenceCountUtil.release(msg);
        }
    }

    /** Writes a reply to each message without flushing it, as a responder does until read-complete. */
    private static final class UnflushedReplier extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.write(Unpooled.copiedBuffer("reply\n", US_ASCII));
        }
    }

    @Test
    void closesASilentConnectionAtTheIdleTimeout() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        advance(ch, 299_999);
        assertTrue(ch.isOpen(), "never early");
        advance(ch, late());
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT));
        assertEquals(1, closed.total());
    }

    @Test
    void everyReadPostponesTheIdleTimeout() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        for (int i = 0; i < 10; i++) {
            advance(ch, 200_000);
            send(ch, "still here\n");
        }
        assertTrue(ch.isOpen(), "2000 s of a message every 200 s");
        advance(ch, 299_999);
        assertTrue(ch.isOpen(), "300 s from the last message, not from the one before");
        advance(ch, late());
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT));
    }

    @Test
    void cutsASlowlorisPeerAtTheFrameTimeout() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        advance(ch, 1_000);
        send(ch, "G"); // the message starts at t = 1 s
        for (int i = 0; i < 5; i++) {
            advance(ch, 5_000);
            send(ch, "E"); // one byte every 5 s: never idle
        }
        advance(ch, 4_999); // t = 30.999 s
        assertTrue(ch.isOpen(), "never early");
        advance(ch, late()); // 30 s after the first byte, and the sweep that notices
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
        assertEquals(0, closed.count(CloseReason.IDLE_TIMEOUT));
    }

    @Test
    void withoutAFrameTimeoutASlowlorisPeerStays() {
        EmbeddedChannel ch = channel(new Timeouts(Timeouts.DEFAULT_IDLE_TIMEOUT, Timeouts.DISABLED), Framing.LINE);
        for (int i = 0; i < 120; i++) {
            advance(ch, 5_000);
            send(ch, "x");
        }
        assertTrue(ch.isOpen(), "what the frame timeout is for: 10 minutes on one unfinished line");
        assertEquals(0, closed.total());
        ch.finishAndReleaseAll();
    }

    @Test
    void messagesThatCompleteInTimeAreFine() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        Sink sink = ch.pipeline().get(Sink.class);
        for (int i = 0; i < 20; i++) {
            send(ch, "slow but ");
            advance(ch, 20_000);
            send(ch, "complete\n"); // 20 s per line, under the 30 s frame timeout
        }
        assertTrue(ch.isOpen());
        assertEquals(20, sink.messages.size());
        assertEquals(0, closed.total());
        assertFalse(ch.finish());
    }

    @Test
    void theFrameClockStartsAtTheFirstByteOfEachMessage() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        send(ch, "first");          // t = 0: first message starts
        advance(ch, 25_000);
        send(ch, " done\nsecond");  // t = 25: first ends, second starts in the same read
        advance(ch, 29_000);        // t = 54: 29 s into the second message, 54 s into the first
        assertTrue(ch.isOpen());
        advance(ch, 1_000 + late());
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
    }

    @Test
    void anOverlongLineIsStillOneIncompleteMessageUntilItsNewline() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        sweeper = new TimeoutSweeper(DEFAULTS, closed);
        ch.pipeline().addLast(new TimeoutHandler(sweeper, Framing.LINE));
        ch.pipeline().addLast(Framing.LINE.newDecoder(4)); // discards the rest of a too-long line
        ch.pipeline().addLast(new Sink());
        assertThrows(io.netty.handler.codec.TooLongFrameException.class, () -> send(ch, "too long for four"));
        for (int i = 0; i < 5; i++) {
            advance(ch, 5_000);
            send(ch, "y"); // discarded by the decoder, but the message goes on
        }
        advance(ch, 5_000 + late());
        assertFalse(ch.isOpen(), "the decoder's discarding does not hide a slowloris");
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
    }

    @Test
    void lengthFramingFollowsPrefixAndBodyAcrossReads() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LENGTH);
        Sink sink = ch.pipeline().get(Sink.class);
        send(ch, (byte) 0, (byte) 0);          // half a prefix: a message has begun (t = 0)
        advance(ch, 10_000);
        send(ch, (byte) 0, (byte) 3, (byte) 'a'); // rest of the prefix, 1 of 3 body bytes
        advance(ch, 10_000);
        send(ch, (byte) 'b', (byte) 'c', (byte) 0, (byte) 0, (byte) 0, (byte) 0); // ends; an empty message too
        assertEquals(2, sink.messages.size());
        advance(ch, 100_000);                   // nothing incomplete: only idle applies
        assertTrue(ch.isOpen());

        send(ch, (byte) 0, (byte) 0, (byte) 0, (byte) 10, (byte) 'x'); // a 10-byte message, 1 byte sent
        for (int i = 0; i < 5; i++) {
            advance(ch, 5_000);
            send(ch, (byte) 'x');
        }
        assertTrue(ch.isOpen());
        advance(ch, 5_000 + late());
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
        assertEquals(2, sink.messages.size());
    }

    @Test
    void lengthFramingManyMessagesInOneReadLeaveNothingOpen() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LENGTH);
        ByteBuf burst = Unpooled.buffer();
        for (int i = 0; i < 100; i++) {
            burst.writeBytes(Framing.LENGTH.frame("message " + i));
        }
        ch.writeInbound(burst);
        assertEquals(100, ch.pipeline().get(Sink.class).messages.size());
        advance(ch, 299_000);
        assertTrue(ch.isOpen(), "all complete: no frame timeout");
        assertEquals(0, closed.total());
        assertFalse(ch.finish());
    }

    @Test
    void rawFramingHasOnlyTheIdleTimeout() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.RAW);
        for (int i = 0; i < 100; i++) {
            advance(ch, 5_000);
            send(ch, "no message boundaries in raw");
        }
        assertTrue(ch.isOpen());
        advance(ch, 300_000 + late());
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT));
        assertEquals(0, closed.count(CloseReason.FRAME_TIMEOUT));
    }

    @Test
    void repliesAlreadyOwedAreFlushedBeforeTheClose() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE, new UnflushedReplier());
        send(ch, "one\ntwo\nand a slow thi");
        assertNull(ch.readOutbound(), "written, not yet flushed");
        advance(ch, 30_000 + late());
        assertFalse(ch.isOpen());
        List<String> flushed = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            if (b.isReadable()) {
                flushed.add(b.toString(US_ASCII));
            }
            b.release();
        }
        assertEquals(List.of("reply\n", "reply\n"), flushed);
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
    }

    @Test
    void theFrameClockStandsStillWhileTheServerIsNotReading() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        send(ch, "half a line");
        ch.config().setAutoRead(false); // backpressure: the peer does not read its replies
        advance(ch, 120_000);
        assertTrue(ch.isOpen(), "not the peer's slowness: the server was not reading");
        ch.config().setAutoRead(true);
        advance(ch, 60_000);
        assertFalse(ch.isOpen(), "reading again, the message still does not complete");
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
    }

    @Test
    void aPeerThatNeitherSendsNorReadsIsIdleEvenWithRepliesOwed() {
        EmbeddedChannel ch = channel(new Timeouts(Duration.ofSeconds(10), Timeouts.DISABLED), Framing.LINE,
                new UnflushedReplier());
        send(ch, "hello\n"); // a reply is owed and never flushed (stands in for a peer that does not read)
        advance(ch, 10_000 + late());
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT));
        ByteBuf reply = ch.readOutbound();
        assertEquals("reply\n", reply.toString(US_ASCII), "flushed before the close");
        reply.release();
        ch.finishAndReleaseAll();
    }

    /** Stands for a socket the peer does not read: writes never complete. */
    private static final class StuckSocket extends io.netty.channel.ChannelOutboundHandlerAdapter {
        final List<Object> held = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
            held.add(msg);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            held.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void aFlushThatCannotCompleteDelaysTheCloseOnlyByTheGrace() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        ch.pipeline().addFirst(new StuckSocket());
        send(ch, "never ends");
        advance(ch, 30_000 + late());
        assertTrue(ch.isOpen(), "waiting for the owed replies to be written");
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
        advance(ch, TimeoutHandler.FLUSH_GRACE_MILLIS);
        assertFalse(ch.isOpen(), "closed anyway after the grace");
        assertEquals(1, closed.total());
    }

    @Test
    void disabledTimeoutsNeverClose() {
        EmbeddedChannel ch = channel(Timeouts.none(), Framing.LINE);
        send(ch, "never finished");
        advance(ch, TimeUnit.HOURS.toMillis(48));
        assertTrue(ch.isOpen());
        assertEquals(0, closed.total());
        ch.finishAndReleaseAll();
    }

    @Test
    void theListenerHearsOnceAndNothingFiresAfterAClose() {
        EmbeddedChannel ch = channel(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)), Framing.LINE);
        send(ch, "x");
        advance(ch, 1_000 + late());
        assertFalse(ch.isOpen());
        advance(ch, 3_600_000);
        assertEquals(1, closed.total());
    }

    @Test
    void aConnectionClosedByThePeerStopsTheTimer() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        ch.close();
        advance(ch, 3_600_000);
        assertEquals(0, closed.total());
    }

    @Test
    void theTickIsATenthOfTheShortestTimeoutBetween10MsAnd1S() {
        assertEquals(Duration.ofSeconds(1), new TimeoutSweeper(DEFAULTS, closed).tick());
        assertEquals(Duration.ofMillis(70),
                new TimeoutSweeper(new Timeouts(Duration.ofMillis(700), Timeouts.DISABLED), closed).tick());
        assertEquals(Duration.ofMillis(80),
                new TimeoutSweeper(new Timeouts(Duration.ofSeconds(30), Duration.ofMillis(800)), closed).tick());
        assertEquals(Duration.ofMillis(10),
                new TimeoutSweeper(new Timeouts(Duration.ofMillis(20), Timeouts.DISABLED), closed).tick());
    }

    @Test
    void aLoopWithoutConnectionsToWatchSchedulesNothing() {
        EmbeddedChannel ch = channel(DEFAULTS, Framing.LINE);
        advance(ch, 5_000);
        assertTrue(ch.runScheduledPendingTasks() > 0, "the next sweep is scheduled while there is one to watch");
        ch.close();
        advance(ch, 5_000); // the last sweep finds the list empty and does not schedule another
        assertEquals(-1, ch.runScheduledPendingTasks(), "nothing scheduled once the connection is gone");
    }

    @Test
    void timeoutsAreValidatedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Timeouts(Duration.ofSeconds(-1), Duration.ZERO));
        assertTrue(e.getMessage().startsWith("idleTimeout must be 0 (off) or 1ms..24h"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Timeouts(Duration.ZERO, Duration.ofDays(2)));
        assertTrue(e.getMessage().startsWith("frameTimeout must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Timeouts(Duration.ZERO, Duration.ofNanos(5)));
        assertTrue(e.getMessage().startsWith("frameTimeout must be"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new Timeouts(null, Duration.ZERO));
        assertEquals(new Timeouts(Duration.ofSeconds(300), Duration.ofSeconds(30)), Timeouts.defaults());
        assertTrue(Timeouts.none().disabled());
        assertFalse(Timeouts.defaults().disabled());
    }

    @Test
    void aLoweredIdleTimeoutClosesAConnectionAlreadyIdleLongerAtTheNextSweepNotBefore() {
        LiveSetting<Timeouts> timeouts = LiveSetting.of(DEFAULTS);
        EmbeddedChannel ch = channel(timeouts, Framing.LINE);
        advance(ch, 100_000);
        assertTrue(ch.isOpen());
        timeouts.replace(new Timeouts(Duration.ofSeconds(60), Timeouts.DEFAULT_FRAME_TIMEOUT));
        assertTrue(ch.isOpen(), "a reload closes nothing itself");
        advance(ch, late());
        assertFalse(ch.isOpen(), "idle 100 s, over the new 60 s");
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT));
    }

    @Test
    void aLoweredIdleTimeoutCountsFromTheLastActivityNeverEarly() {
        LiveSetting<Timeouts> timeouts = LiveSetting.of(DEFAULTS);
        EmbeddedChannel ch = channel(timeouts, Framing.LINE);
        advance(ch, 100_000);
        send(ch, "here\n"); // t = 100 s
        advance(ch, 10_000);
        timeouts.replace(new Timeouts(Duration.ofSeconds(60), Timeouts.DEFAULT_FRAME_TIMEOUT));
        advance(ch, 49_000 - late()); // t = 159 s less two ticks: under 60 s since the message, stamped late
        assertTrue(ch.isOpen(), "never early");
        advance(ch, 1_000 + 2 * late());
        assertFalse(ch.isOpen());
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT));
    }

    @Test
    void aRaisedIdleTimeoutKeepsAConnectionTheOldOneWouldHaveClosed() {
        LiveSetting<Timeouts> timeouts = LiveSetting.of(new Timeouts(Duration.ofSeconds(10), Timeouts.DISABLED));
        EmbeddedChannel ch = channel(timeouts, Framing.LINE);
        advance(ch, 5_000);
        timeouts.replace(new Timeouts(Duration.ofSeconds(300), Timeouts.DISABLED));
        advance(ch, 200_000);
        assertTrue(ch.isOpen());
        assertEquals(0, closed.total());
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameTimeoutSetLaterKnowsWhereLengthFramedMessagesEnd() {
        LiveSetting<Timeouts> timeouts = LiveSetting.of(new Timeouts(Timeouts.DEFAULT_IDLE_TIMEOUT, Timeouts.DISABLED));
        EmbeddedChannel ch = channel(timeouts, Framing.LENGTH);
        Sink sink = ch.pipeline().get(Sink.class);
        send(ch, (byte) 0, (byte) 0, (byte) 0, (byte) 5, (byte) 'a', (byte) 'b', (byte) 'c'); // 3 of 5 body bytes
        advance(ch, 1_000);
        timeouts.replace(new Timeouts(Timeouts.DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(30)));
        send(ch, (byte) 'd', (byte) 'e'); // the end of the message, not the start of a prefix
        advance(ch, 120_000);
        assertTrue(ch.isOpen(), "no message is open: nothing for the frame timeout to cut");
        assertEquals(1, sink.messages.size(), "one whole message");
        assertEquals(0, closed.total());
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameTimeoutSetLaterCutsAMessageOpenLongerThanItAtTheNextSweep() {
        LiveSetting<Timeouts> timeouts = LiveSetting.of(new Timeouts(Timeouts.DEFAULT_IDLE_TIMEOUT, Timeouts.DISABLED));
        EmbeddedChannel ch = channel(timeouts, Framing.LINE);
        for (int i = 0; i < 10; i++) {
            send(ch, "x"); // a slowloris line, one byte every 10 s
            advance(ch, 10_000);
        }
        assertTrue(ch.isOpen());
        timeouts.replace(new Timeouts(Timeouts.DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(30)));
        advance(ch, late());
        assertFalse(ch.isOpen(), "its message began 100 s ago");
        assertEquals(1, closed.count(CloseReason.FRAME_TIMEOUT));
    }

    @Test
    void bothTimeoutsTurnedOffLetGoOfTheConnectionsForGood() {
        LiveSetting<Timeouts> timeouts = LiveSetting.of(new Timeouts(Duration.ofSeconds(10), Timeouts.DISABLED));
        EmbeddedChannel ch = channel(timeouts, Framing.LINE);
        advance(ch, 5_000);
        timeouts.replace(Timeouts.none());
        advance(ch, 3_600_000);
        assertTrue(ch.isOpen(), "no timeout: never closed");
        timeouts.replace(new Timeouts(Duration.ofSeconds(10), Timeouts.DISABLED));
        advance(ch, 60_000);
        assertTrue(ch.isOpen(), "let go: a connection without timeouts gets none later");
        assertEquals(0, closed.total());
        ch.finishAndReleaseAll();
    }
}
