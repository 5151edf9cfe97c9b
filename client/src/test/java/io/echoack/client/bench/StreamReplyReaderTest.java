package io.echoack.client.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.common.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamReplyReaderTest {

    private final List<Boolean> replies = new ArrayList<>();
    private final StreamReplyReader.ReplySink sink = valid -> {
        replies.add(valid);
        return true;
    };

    private int read(StreamReplyReader reader, String... chunks) {
        int status = StreamReplyReader.OK;
        for (String chunk : chunks) {
            ByteBuf buf = Unpooled.copiedBuffer(chunk, US_ASCII);
            try {
                status = reader.read(buf, sink);
                if (status != StreamReplyReader.OK) {
                    return status;
                }
                assertEquals(0, buf.readableBytes());
            } finally {
                buf.release();
            }
        }
        return status;
    }

    private static StreamReplyReader reader(Framing framing, String expected, int rawLength) {
        return new StreamReplyReader(framing, expected == null ? null : expected.getBytes(US_ASCII), rawLength, 64);
    }

    @Test
    void linesAreCutAtNewlinesAndComparedWithoutTheirTerminator() {
        StreamReplyReader reader = reader(Framing.LINE, "hello", 0);
        read(reader, "hello\nhel", "lo\r\nhellx\nhello!\nhell\n", "\nhello");
        assertEquals(List.of(true, true, false, false, false, false), replies);
        read(reader, "\n");
        assertEquals(true, replies.get(6));
    }

    @Test
    void aCarriageReturnCountsOnlyRightBeforeTheNewline() {
        StreamReplyReader reader = reader(Framing.LINE, "ab", 0);
        read(reader, "ab\r", "\n", "ab\rx\n", "ab\r\r\n");
        assertEquals(List.of(true, false, false), replies);
    }

    @Test
    void anyLineCountsWhenNothingIsExpected() {
        StreamReplyReader reader = reader(Framing.LINE, null, 0);
        read(reader, "I got your message\n\nsomething else\r\n");
        assertEquals(List.of(true, true, true), replies);
    }

    @Test
    void aLineLongerThanTheMaxFrameIsAProtocolError() {
        StreamReplyReader reader = reader(Framing.LINE, null, 0);
        assertEquals(StreamReplyReader.OK, read(reader, "x".repeat(40), "x".repeat(25)));
        assertEquals(StreamReplyReader.TOO_LONG, read(reader, "y"));
        assertEquals(List.of(), replies);
    }

    @Test
    void lengthFramesMaySplitAnywhereEvenInThePrefix() {
        StreamReplyReader reader = reader(Framing.LENGTH, "abc", 0);
        read(reader, "\0\0", "\0\3a", "bc\0\0\0\3abd\0\0\0\2ab\0\0\0\0");
        assertEquals(List.of(true, false, false, false), replies);
    }

    @Test
    void aLengthAboveTheMaxFrameIsAProtocolError() {
        StreamReplyReader reader = reader(Framing.LENGTH, null, 0);
        assertEquals(StreamReplyReader.TOO_LONG, read(reader, "\0\0\1\0"));
        assertEquals(StreamReplyReader.TOO_LONG, reader(Framing.LENGTH, null, 0).read(
                Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0, 0, 1}), sink));
    }

    @Test
    void rawRepliesAreAFixedNumberOfBytesHoweverTheyArrive() {
        StreamReplyReader reader = reader(Framing.RAW, "abcd", 4);
        read(reader, "a", "bc", "dabcdab", "xdab", "cd");
        assertEquals(List.of(true, true, false, true), replies);
    }

    @Test
    void rawAckOfTheWrongLengthNeverMatches() {
        StreamReplyReader reader = reader(Framing.RAW, "abcd", 3);
        read(reader, "abc");
        assertEquals(List.of(false), replies);
    }

    @Test
    void theSinkCanStopTheReading() {
        StreamReplyReader reader = reader(Framing.LINE, null, 0);
        ByteBuf buf = Unpooled.copiedBuffer("a\nb\nc\n", US_ASCII);
        int status = reader.read(buf, valid -> false);
        assertEquals(StreamReplyReader.STOPPED, status);
        assertEquals(4, buf.readableBytes());
        buf.release();
    }

    @Test
    void resetForgetsAPartialReply() {
        StreamReplyReader reader = reader(Framing.LINE, "ok", 0);
        read(reader, "garb");
        reader.reset();
        read(reader, "ok\n");
        assertEquals(List.of(true), replies);
    }

    /** Reads the chunks and returns how each reply was shown, wrong or not. */
    private static List<String> shown(StreamReplyReader reader, byte[]... chunks) {
        List<String> shown = new ArrayList<>();
        for (byte[] chunk : chunks) {
            ByteBuf buf = Unpooled.wrappedBuffer(chunk);
            try {
                reader.read(buf, valid -> shown.add(reader.lastReply()) || true);
            } finally {
                buf.release();
            }
        }
        return shown;
    }

    @Test
    void aWrongReplyIsShownWhateverChunksItCameIn() {
        StreamReplyReader reader = reader(Framing.LINE, "I got your message", 0);
        assertEquals(List.of("\"I got your massage\" (18 bytes)", "\"I got\" (5 bytes)",
                        "\"I got your message, thanks\" (26 bytes)", "\"\\x01\\\"q\\\"\\t\" (5 bytes)"),
                shown(reader, "I got your m".getBytes(US_ASCII), "assage\nI got\r\nI got your".getBytes(US_ASCII),
                        " message, thanks\r\n\u0001\"q\"\t\n".getBytes(US_ASCII)));
    }

    @Test
    void aLongWrongReplyIsCutAndNonUtf8BytesAreEscaped() {
        StreamReplyReader reader = new StreamReplyReader(Framing.LENGTH, "ok".getBytes(US_ASCII), 0, 1000);
        byte[] frame = new byte[4 + 300];
        frame[2] = 1;
        frame[3] = 44; // 300
        java.util.Arrays.fill(frame, 4, frame.length, (byte) 'z');
        frame[4] = (byte) 0xff;
        List<String> shown = shown(reader, frame, new byte[] {0, 0, 0, 2, 'o', 'k'});
        assertEquals("\"\\xff" + "z".repeat(63) + "...\" (first 64 of 300 bytes)", shown.get(0));
        assertEquals(2, shown.size());
    }

    @Test
    void aLengthPrefixOverTheMaxFrameIsShownAsTheTextItWouldBe() {
        StreamReplyReader reader = reader(Framing.LENGTH, "I got your message", 0);
        assertEquals(StreamReplyReader.TOO_LONG, read(reader, "I got your message\n"));
        assertEquals("a length prefix of 1226860399 bytes (\"I go\"), over maxFrameLength 64",
                reader.tooLong().toString());
        assertEquals("a length prefix of 1226860399 bytes (\"I go\"), over --max-frame 64",
                reader.tooLong().render(field -> "--max-frame"), "as the command line writes it");
        StreamReplyReader lines = reader(Framing.LINE, null, 0);
        assertEquals(StreamReplyReader.TOO_LONG, read(lines, "x".repeat(100)));
        assertEquals("a line of more than 64 bytes (maxFrameLength)", lines.tooLong().toString());
        assertEquals(Set.of("maxFrameLength"), lines.tooLong().fields());
    }
}
