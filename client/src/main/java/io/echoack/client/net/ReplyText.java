package io.echoack.client.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Shows bytes that came from the network inside a one-line message, so that an error can name what a server
 * sent without letting it break the line or flood the terminal: quoted, valid UTF-8 kept, control characters
 * escaped ({@code \n}, {@code \t}, {@code \x00}), other bytes as {@code \xNN}, cut after
 * {@value #MAX_SHOWN_BYTES} bytes with the full length added.
 */
public final class ReplyText {

    /** How many bytes are shown at most. */
    public static final int MAX_SHOWN_BYTES = 64;

    private ReplyText() {
    }

    /** E.g. {@code "Got your message"}, {@code "\xff\xfe"}, or {@code "xxxx..." (300 bytes)}. */
    public static String quote(byte[] bytes) {
        int shown = Math.min(bytes.length, MAX_SHOWN_BYTES);
        while (shown < bytes.length && shown > 0 && (bytes[shown] & 0xc0) == 0x80) {
            shown--; // do not cut a UTF-8 sequence in two
        }
        StringBuilder sb = new StringBuilder(shown + 24).append('"');
        escape(bytes, shown, sb);
        sb.append('"');
        if (shown < bytes.length) {
            sb.insert(sb.length() - 1, "...").append(" (").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }

    /**
     * Appends the first {@code length} bytes of {@code bytes} to {@code sb}, escaped as {@link #quote} shows
     * them (without quotes or cutting), for reports that frame a reply their own way.
     */
    public static void escape(byte[] bytes, int length, StringBuilder sb) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
            text.chars().forEach(c -> appendChar(sb, (char) c));
        } catch (CharacterCodingException e) {
            for (int i = 0; i < length; i++) {
                int b = bytes[i] & 0xff;
                if (b < 0x80) {
                    appendChar(sb, (char) b);
                } else {
                    sb.append(String.format("\\x%02x", b));
                }
            }
        }
    }

    private static void appendChar(StringBuilder sb, char c) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else if (Character.isISOControl(c)) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
