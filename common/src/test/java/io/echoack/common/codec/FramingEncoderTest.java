package io.echoack.common.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Framing outgoing payloads, and decoding what was framed back to the same payload. */
class FramingEncoderTest {

    private static byte[] writeThrough(Framing framing, byte[] payload) {
        EmbeddedChannel ch = new EmbeddedChannel(framing.encoder());
        ch.writeOutbound(Unpooled.wrappedBuffer(payload));
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        assertFalse(ch.finish());
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }

    @Test
    void lineAppendsNewline() {
        assertArrayEquals("hi\n".getBytes(US_ASCII), writeThrough(Framing.LINE, "hi".getBytes(US_ASCII)));
        assertArrayEquals("I got your message\n".getBytes(US_ASCII), Framing.LINE.frame("I got your message"));
    }

    @Test
    void lengthPrependsBigEndianLength() {
        byte[] framed = writeThrough(Framing.LENGTH, new byte[300]);
        assertEquals(304, framed.length);
        assertArrayEquals(new byte[] {0, 0, 1, 44}, java.util.Arrays.copyOf(framed, 4));
        assertArrayEquals(framed, Framing.LENGTH.frame(new byte[300]));
    }

    @Test
    void rawPassesThrough() {
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n'};
        assertArrayEquals(binary, writeThrough(Framing.RAW, binary));
    }

    @ParameterizedTest
    @EnumSource(value = Framing.class, names = {"LINE", "LENGTH"})
    void framedPayloadDecodesBackToItself(Framing framing) {
        byte[] payload = "round trip".getBytes(US_ASCII);
        EmbeddedChannel ch = new EmbeddedChannel(framing.newDecoder(64));
        ch.writeInbound(Unpooled.wrappedBuffer(writeThrough(framing, payload)));
        ByteBuf frame = ch.readInbound();
        try {
            assertArrayEquals(payload, ByteBufUtil.getBytes(framing.payload(frame)));
        } finally {
            frame.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void allocatorFramingMatchesByteFraming() {
        ByteBuf payload = Unpooled.copiedBuffer("abc", US_ASCII);
        for (Framing framing : Framing.values()) {
            ByteBuf framed = framing.frame(Unpooled.buffer().alloc(), payload);
            try {
                assertArrayEquals(framing.frame("abc"), ByteBufUtil.getBytes(framed));
            } finally {
                framed.release();
            }
        }
        assertEquals(3, payload.readableBytes(), "payload is not consumed");
        payload.release();
    }

    @Test
    void encodersAreSharedSingletons() {
        assertSame(Framing.LINE.encoder(), Framing.LINE.encoder());
    }

    @Test
    void parsesNamesAndModes() {
        assertEquals(Framing.LENGTH, Framing.parse("LENGTH"));
        assertEquals(ReplyMode.ECHO, ReplyMode.parse(" echo "));
        assertEquals(Framing.LINE, ReplyMode.ACK.defaultFraming());
        assertEquals(Framing.RAW, ReplyMode.ECHO.defaultFraming());
        assertEquals(ReplyMode.INFO, ReplyMode.parse("Info"));
        assertEquals(Framing.LINE, ReplyMode.INFO.defaultFraming());
        assertEquals(InfoFormat.JSON, InfoFormat.parse(" JSON "));
    }
}
