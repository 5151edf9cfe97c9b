package io.echoack.client.bench;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Shows a reply that was not the expected one, for the report: its first {@value #SHOWN_BYTES} bytes in
 * quotes, escaped so that it stays one printable line, and its length, e.g. {@code "I got your message"
 * (18 bytes)} or {@code "AAAA..." (first 64 of 300 bytes)}. Valid UTF-8 is kept as text with control
 * characters escaped ({@code \n}, {@code \r}, {@code \t}, {@code \xNN}, and {@code \"}, {@code \\}); other
 * bytes are shown byte by byte, non-ASCII ones as {@code \xNN}.
 */
final class ReplySample {

    /** How many bytes of a reply are shown at most. */
    static final int SHOWN_BYTES = 64;

    private ReplySample() {
    }

    /**
     * @param bytes  the reply's first bytes, of which {@code shown} (at most {@link #SHOWN_BYTES}) are shown
     * @param length the reply's whole length, in bytes
     */
    static String show(byte[] bytes, int shown, long length) {
        StringBuilder sb = new StringBuilder(shown + 32).append('"');
        escape(bytes, shown, sb);
        if (length > shown) {
            sb.append("...\" (first ").append(shown).append(" of ").append(length).append(" bytes)");
        } else {
            sb.append("\" (").append(length).append(length == 1 ? " byte)" : " bytes)");
        }
        return sb.toString();
    }

    /** {@link #show} of a whole reply. */
    static String show(byte[] bytes) {
        return show(bytes, Math.min(bytes.length, SHOWN_BYTES), bytes.length);
    }

    private static void escape(byte[] bytes, int length, StringBuilder sb) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer text = decoder.decode(ByteBuffer.wrap(bytes, 0, length));
            for (int i = 0; i < text.length(); i++) {
                append(sb, text.charAt(i));
            }
        } catch (CharacterCodingException e) {
            for (int i = 0; i < length; i++) {
                int b = bytes[i] & 0xff;
                if (b < 0x80) {
                    append(sb, (char) b);
                } else {
                    hex(sb, b);
                }
            }
        }
    }

    private static void append(StringBuilder sb, char c) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\\' -> sb.append("\\\\");
            case '"' -> sb.append("\\\"");
            default -> {
                if (Character.isISOControl(c)) {
                    hex(sb, c);
                } else {
                    sb.append(c);
                }
            }
        }
    }

    private static void hex(StringBuilder sb, int value) {
        sb.append(String.format(Locale.ROOT, "\\x%02x", value));
    }
}
