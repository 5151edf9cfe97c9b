package io.echoack.server.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.server.limits.CloseCounter;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.limits.TimeoutHandler;
import io.echoack.server.limits.TimeoutSweeper;
import io.echoack.server.limits.Timeouts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who decides whether a connection reads, when the handlers that stop reading disagree: a timeout's close and
 * the shutdown drain against backpressure. On an EmbeddedChannel with frozen time; the peer's bytes reach the
 * pipeline only while the channel reads, as they would from a socket.
 */
class ReadOwnershipTest {

    private static final Timeouts IDLE_10S = new Timeouts(Duration.ofSeconds(10), Timeouts.DISABLED);

    private final CloseCounter closed = new CloseCounter();
    private TimeoutSweeper sweeper;

    /** Stands for a socket the peer does not read: writes are held and never complete. */
    private static final class StuckSocket extends ChannelOutboundHandlerAdapter {
        final List<String> written = new ArrayList<>();
        final List<Object> held = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b && b.isReadable()) {
                written.add(b.toString(US_ASCII));
            }
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

    /** The production order of the handlers that matter here: timeouts, decoder, responder, backpressure. */
    private EmbeddedChannel echoWithIdleTimeout(StuckSocket socket) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        sweeper = new TimeoutSweeper(IDLE_10S, closed);
        ch.pipeline().addLast(socket);
        ch.pipeline().addLast(StreamServerInitializer.TIMEOUTS, new TimeoutHandler(sweeper, Framing.LINE));
        ch.pipeline().addLast(StreamServerInitializer.FRAME_DECODER, Framing.LINE.newDecoder(1024));
        ch.pipeline().addLast(StreamServerInitializer.RESPONDER, EchoResponder.INSTANCE);
        ch.pipeline().addLast(StreamServerInitializer.BACKPRESSURE, BackpressureHandler.INSTANCE);
        return ch;
    }

    /** The peer sends {@code text}: it reaches the pipeline only if the channel reads (else it stays queued). */
    private static boolean peerSends(EmbeddedChannel ch, String text) {
        if (!ch.config().isAutoRead()) {
            return false;
        }
        ch.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
        return true;
    }

    /** The peer stops or starts reading its replies: the channel's writability follows. */
    private static void peerReads(EmbeddedChannel ch, boolean reads) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, reads);
        ch.runPendingTasks();
    }

    private void advance(EmbeddedChannel ch, long millis) {
        long tick = sweeper.tick().toMillis();
        for (long left = millis; left > 0; left -= tick) {
            ch.advanceTimeBy(Math.min(tick, left), TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
    }

    @Test
    void backpressureEasingDoesNotReopenReadingOnAConnectionTheTimeoutIsClosing() {
        StuckSocket socket = new StuckSocket();
        EmbeddedChannel ch = echoWithIdleTimeout(socket);
        assertTrue(peerSends(ch, "one\n"));
        peerReads(ch, false);
        assertFalse(ch.isWritable());
        assertFalse(ch.config().isAutoRead(), "backpressure: not reading while replies cannot be written");

        advance(ch, 10_000 + 2 * sweeper.tick().toMillis());
        assertEquals(1, closed.count(CloseReason.IDLE_TIMEOUT), "the close began");
        assertTrue(ch.isOpen(), "flushing the replies owed first");

        peerReads(ch, true); // the peer reads its replies after all
        assertTrue(ch.isWritable());
        assertFalse(ch.config().isAutoRead(), "a connection being closed is not read again");
        assertFalse(peerSends(ch, "two\n"));
        assertEquals(List.of("one\n"), socket.written, "no reply after the close began");

        advance(ch, TimeoutHandler.FLUSH_GRACE_MILLIS);
        assertFalse(ch.isOpen());
        assertEquals(1, closed.total());
        ch.finishAndReleaseAll();
    }

    @Test
    void backpressureStillPausesAndResumesAConnectionNobodyIsClosing() {
        StuckSocket socket = new StuckSocket();
        EmbeddedChannel ch = echoWithIdleTimeout(socket);
        peerReads(ch, false);
        assertFalse(ch.config().isAutoRead());
        peerReads(ch, true);
        assertTrue(ch.config().isAutoRead());
        assertTrue(peerSends(ch, "one\n"));
        assertEquals(List.of("one\n"), socket.written);
        ch.finishAndReleaseAll();
    }

    @Test
    void aDrainingConnectionReadsToDiscardWhileItsRepliesCannotBeWritten() {
        StuckSocket socket = new StuckSocket();
        EmbeddedChannel ch = echoWithIdleTimeout(socket);
        assertTrue(peerSends(ch, "one\n"));
        peerReads(ch, false);
        assertFalse(ch.config().isAutoRead());

        DrainHandler.start(ch, 60_000);
        assertTrue(ch.config().isAutoRead(), "reads, so that the peer's close is seen");
        assertTrue(peerSends(ch, "two\n"));
        peerReads(ch, true);
        peerReads(ch, false); // a later backpressure pause does not stop the drain's reading
        assertTrue(ch.config().isAutoRead());
        assertEquals(List.of("one\n"), socket.written, "read, but discarded: nothing new is answered");
        ch.finishAndReleaseAll();
    }
}
