package io.echoack.client.bench;

import io.echoack.client.net.ReplyText;

/**
 * Shows a reply that was not the expected one, for the report: its first {@value #SHOWN_BYTES} bytes in
 * quotes, escaped as {@link ReplyText} escapes them so that it stays one printable line, and its length, e.g.
 * {@code "I got your message" (18 bytes)} or {@code "AAAA..." (first 64 of 300 bytes)}.
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
        ReplyText.escape(bytes, shown, sb);
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
}
