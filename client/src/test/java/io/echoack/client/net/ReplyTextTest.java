package io.echoack.client.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplyTextTest {

    @Test
    void textIsQuotedWithControlCharactersEscaped() {
        assertEquals("\"Got your message\"", ReplyText.quote("Got your message".getBytes(UTF_8)));
        assertEquals("\"a\\tb\\r\\n\\x00 \\\"q\\\" \\\\\"", ReplyText.quote("a\tb\r\n\0 \"q\" \\".getBytes(UTF_8)));
        assertEquals("\"h\u00e9llo\"", ReplyText.quote("h\u00e9llo".getBytes(UTF_8)));
        assertEquals("\"\"", ReplyText.quote(new byte[0]));
    }

    @Test
    void bytesThatAreNotUtf8AreShownInHex() {
        assertEquals("\"caf\\xe9 \\xff\"", ReplyText.quote(new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff}));
    }

    @Test
    void longRepliesAreCutWithTheirLength() {
        assertEquals("\"" + "x".repeat(ReplyText.MAX_SHOWN_BYTES) + "...\" (300 bytes)",
                ReplyText.quote("x".repeat(300).getBytes(UTF_8)));
    }

    @Test
    void aCutNeverSplitsAUtf8Character() {
        String text = "x".repeat(ReplyText.MAX_SHOWN_BYTES - 1) + "\u00e9\u00e9";
        assertEquals("\"" + "x".repeat(ReplyText.MAX_SHOWN_BYTES - 1) + "...\" (" + (ReplyText.MAX_SHOWN_BYTES + 3)
                + " bytes)", ReplyText.quote(text.getBytes(UTF_8)));
    }
}
