package io.echoack.server.messagelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.output.LineQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageLogTest {

    private static String escape(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return MessageLog.escape(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void escapesControlCharactersAndKeepsText() {
        assertEquals("hello", escape("hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a\\r\\n\\tb\\x1b[0m\\\\", escape("a\r\n\tb\u001b[0m\\".getBytes(StandardCharsets.UTF_8)));
        assertEquals("héllo ✓", escape("héllo ✓".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void showsInvalidUtf8ByteByByte() {
        assertEquals("a\\xff\\x00b", escape(new byte[] {'a', (byte) 0xff, 0, 'b'}));
    }

    @Test
    void cutsVeryLongMessages() {
        String shown = escape(new byte[MessageLog.MAX_SHOWN_BYTES + 10]);
        assertTrue(shown.endsWith("... (10 more bytes)"), shown);
    }

    @Test
    void printsEveryLineInOrder() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (LineQueue out = new LineQueue(new PrintStream(sink, true, StandardCharsets.UTF_8));
             MessageLog log = new MessageLog(out)) {
            for (String s : new String[] {"one", "two\n"}) {
                ByteBuf buf = Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
                log.print(buf);
                buf.release();
            }
        }
        assertEquals("Here is the message: one\nHere is the message: two\\n\n",
                sink.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
