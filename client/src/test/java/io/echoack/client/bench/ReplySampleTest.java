package io.echoack.client.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplySampleTest {

    @Test
    void textIsQuotedWithItsLength() {
        assertEquals("\"I got your message\" (18 bytes)", ReplySample.show("I got your message".getBytes(UTF_8)));
        assertEquals("\"x\" (1 byte)", ReplySample.show("x".getBytes(UTF_8)));
        assertEquals("\"\" (0 bytes)", ReplySample.show(new byte[0]));
    }

    @Test
    void controlCharactersQuotesAndBackslashesAreEscapedAndUtf8Kept() {
        assertEquals("\"a\\n\\r\\t\\x00\\x7f \\\"q\\\" \\\\ é\" (15 bytes)",
                ReplySample.show("a\n\r\t\u0000\u007f \"q\" \\ é".getBytes(UTF_8)));
    }

    @Test
    void bytesThatAreNotUtf8AreShownOneByOne() {
        assertEquals("\"ok\\xff\\xc3\\x01\" (5 bytes)", ReplySample.show(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xc3, 1}));
    }

    @Test
    void aLongReplyIsCutAtSixtyFourBytes() {
        byte[] bytes = "0123456789".repeat(10).getBytes(UTF_8);
        assertEquals("\"" + "0123456789".repeat(6) + "0123...\" (first 64 of 100 bytes)", ReplySample.show(bytes));
        assertEquals("\"01...\" (first 2 of 70000 bytes)", ReplySample.show(bytes, 2, 70_000));
    }
}
