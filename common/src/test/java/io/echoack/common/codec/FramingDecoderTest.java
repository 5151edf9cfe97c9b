package io.echoack.common.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream decoders on an EmbeddedChannel: what comes out for each way bytes can arrive. */
class FramingDecoderTest {

    private static final int MAX = 16;

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, US_ASCII);
    }

    private static byte[] lengthFrame(String payload) {
        return Framing.LENGTH.frame(payload.getBytes(US_ASCII));
    }

    /** Reads every frame out of the channel as (frame text, payload text), releasing each one. */
    private static List<String[]> drain(EmbeddedChannel ch, Framing framing) {
        List<String[]> out = new ArrayList<>();
        ByteBuf frame;
        while ((frame = ch.readInbound()) != null) {
            try {
                out.add(new String[] {frame.toString(US_ASCII), framing.payload(frame).toString(US_ASCII)});
            } finally {
                frame.release();
            }
        }
        return out;
    }

    @Test
    void lineKeepsTerminatorInFrameAndStripsItFromPayload() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LINE.newDecoder(MAX));
        ch.writeInbound(ascii("hello\nworld\r\n"));
        List<String[]> frames = drain(ch, Framing.LINE);
        assertEquals(2, frames.size());
        assertEquals("hello\n", frames.get(0)[0]);
        assertEquals("hello", frames.get(0)[1]);
        assertEquals("world\r\n", frames.get(1)[0]);
        assertEquals("world", frames.get(1)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lineJoinsInputSplitOverManyReads() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LINE.newDecoder(MAX));
        for (char c : "split me\r".toCharArray()) {
            assertFalse(ch.writeInbound(ascii(String.valueOf(c))), "no frame before the terminator");
        }
        assertTrue(ch.writeInbound(ascii("\n")));
        List<String[]> frames = drain(ch, Framing.LINE);
        assertEquals(1, frames.size());
        assertEquals("split me", frames.get(0)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lineEmptyLinesAreEmptyMessages() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LINE.newDecoder(MAX));
        ch.writeInbound(ascii("\n\r\nx\n"));
        List<String[]> frames = drain(ch, Framing.LINE);
        assertEquals(3, frames.size());
        assertEquals("", frames.get(0)[1]);
        assertEquals("", frames.get(1)[1]);
        assertEquals("x", frames.get(2)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lineAcceptsExactlyMaxAndRejectsMaxPlusOne() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LINE.newDecoder(MAX));
        String exact = "a".repeat(MAX);
        ch.writeInbound(ascii(exact + "\n"));
        assertEquals(exact, drain(ch, Framing.LINE).get(0)[1]);

        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(ascii("b".repeat(MAX + 1) + "\n")));
        assertInstanceOf(TooLongFrameException.class, e);
        assertNull(ch.readInbound());
        // the decoder recovers at the next line
        ch.writeInbound(ascii("ok\n"));
        assertEquals("ok", drain(ch, Framing.LINE).get(0)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lineFailsFastBeforeTheTerminatorArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LINE.newDecoder(MAX));
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(ascii("c".repeat(MAX + 5))));
        ch.writeInbound(ascii("ccc\nnext\n")); // the rest of the long line is discarded
        List<String[]> frames = drain(ch, Framing.LINE);
        assertEquals(1, frames.size());
        assertEquals("next", frames.get(0)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lineDeliversAnUnterminatedLastLineWhenInputCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LINE.newDecoder(MAX));
        ch.writeInbound(ascii("one\ntwo"));
        assertEquals(1, drain(ch, Framing.LINE).size());
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        List<String[]> frames = drain(ch, Framing.LINE);
        assertEquals(1, frames.size());
        assertEquals("two", frames.get(0)[0]);
        assertEquals("two", frames.get(0)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lengthDecodesCoalescedFramesKeepingThePrefix() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LENGTH.newDecoder(MAX));
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(lengthFrame("abc")).writeBytes(lengthFrame("")).writeBytes(lengthFrame("hello\n"));
        ch.writeInbound(in);
        List<String[]> frames = drain(ch, Framing.LENGTH);
        assertEquals(3, frames.size());
        assertEquals("abc", frames.get(0)[1]);
        assertEquals(7, frames.get(0)[0].length(), "prefix kept in the frame");
        assertEquals("", frames.get(1)[1]);
        assertEquals("hello\n", frames.get(2)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lengthJoinsAFrameSplitInsideThePrefix() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LENGTH.newDecoder(MAX));
        byte[] frame = lengthFrame("split");
        for (byte b : frame) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<String[]> frames = drain(ch, Framing.LENGTH);
        assertEquals(1, frames.size());
        assertEquals("split", frames.get(0)[1]);
        assertFalse(ch.finish());
    }

    @Test
    void lengthAcceptsExactlyMaxAndRejectsMaxPlusOne() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LENGTH.newDecoder(MAX));
        ch.writeInbound(Unpooled.wrappedBuffer(lengthFrame("x".repeat(MAX))));
        assertEquals("x".repeat(MAX), drain(ch, Framing.LENGTH).get(0)[1]);
        ByteBuf tooLong = Unpooled.buffer().writeInt(MAX + 1);
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(tooLong));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void lengthReadsThePrefixUnsignedSoNegativeIsTooLong() {
        EmbeddedChannel ch = new EmbeddedChannel(Framing.LENGTH.newDecoder(MAX));
        ByteBuf negative = Unpooled.buffer().writeInt(-1).writeBytes(new byte[8]);
        TooLongFrameException e = assertThrows(TooLongFrameException.class, () -> ch.writeInbound(negative));
        assertTrue(e.getMessage().contains("4294967299"), e.getMessage());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void rawHasNoDecoderAndPayloadIsTheRead() {
        assertFalse(Framing.RAW.delimitsMessages());
        assertThrows(IllegalStateException.class, () -> Framing.RAW.newDecoder(MAX));
        ByteBuf read = ascii("any bytes\n");
        try {
            assertEquals("any bytes\n", Framing.RAW.payload(read).toString(US_ASCII));
        } finally {
            read.release();
        }
    }

    @Test
    void decodersAreNewPerChannel() {
        assertTrue(Framing.LINE.newDecoder(MAX) != Framing.LINE.newDecoder(MAX));
        assertThrows(IllegalArgumentException.class, () -> Framing.LINE.newDecoder(0));
    }
}
