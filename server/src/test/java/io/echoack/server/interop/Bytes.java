package io.echoack.server.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Test payloads, and the assertion that compares them. */
final class Bytes {

    private Bytes() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code text} repeated {@code times} times. */
    static byte[] repeat(String text, int times) {
        return ascii(text.repeat(times));
    }

    /**
     * Every byte value 0..255, then CR, LF, TAB, NUL and 0xFF again in a row: what a text-minded server
     * would mangle (line-ending conversion, C-string truncation, charset decoding).
     */
    static byte[] binary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = 0; b < 256; b++) {
            out.write(b);
        }
        out.writeBytes(new byte[] {'a', '\r', '\n', '\t', 0, (byte) 0xff, '\r', 'z'});
        return out.toByteArray();
    }

    /** {@code length} pseudo-random bytes, the same on every run. */
    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** For assertion messages: the bytes as text with control characters escaped, cut to a readable size. */
    static String show(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(bytes.length, 200);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (bytes.length > shown) {
            sb.append("... (").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }

    /** {@code actual} is {@code expected}, byte for byte; a failure shows both (and the lengths, when long). */
    static void assertBytes(byte[] expected, byte[] actual) {
        if (expected.length > 4096) {
            assertEquals(expected.length, actual.length, "length");
        }
        assertArrayEquals(expected, actual, () -> "expected " + show(expected) + "\n but got " + show(actual));
    }
}
