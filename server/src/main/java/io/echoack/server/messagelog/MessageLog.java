package io.echoack.server.messagelog;

import io.echoack.server.output.LineQueue;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints {@code Here is the message: <msg>} for each message, as the sockets tutorial's server does, without
 * ever blocking an event loop: lines go through the server's {@link LineQueue} of standard output, written by
 * a thread of its own. When the output cannot keep up, lines are dropped and counted rather than slowing the
 * server down; {@link #close()} says how many, as a last line.
 */
public final class MessageLog implements AutoCloseable {

    /** Longest message shown; longer ones are cut and marked with how many bytes were left out. */
    static final int MAX_SHOWN_BYTES = 4096;

    private static final String PREFIX = "Here is the message: ";

    private final LineQueue out;
    private final AtomicLong dropped = new AtomicLong();

    /** Prints through {@code out}, which the caller closes after this log. */
    public MessageLog(LineQueue out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Queues the line for {@code payload}; never blocks. The buffer is only read, not released. */
    public void print(ByteBuf payload) {
        if (!out.offer(PREFIX + escape(payload))) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the output was too slow. */
    public long dropped() {
        return dropped.get();
    }

    /** Queues a last line saying how many lines were dropped, if any were (waiting up to a second for room). */
    @Override
    public void close() {
        long lost = dropped.get();
        if (lost > 0) {
            out.offer("(" + lost + " message lines were not printed: output too slow)", Duration.ofSeconds(1));
        }
    }

    /**
     * The message as one printable line: valid UTF-8 text is kept with control characters escaped
     * ({@code \n}, {@code \r}, {@code \t}, {@code \xNN}); anything else is shown byte by byte.
     */
    static String escape(ByteBuf payload) {
        int length = payload.readableBytes();
        int shown = Math.min(length, MAX_SHOWN_BYTES);
        ByteBuffer bytes = payload.nioBuffer(payload.readerIndex(), shown);
        StringBuilder sb = new StringBuilder(shown + 16);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer text = decoder.decode(bytes.duplicate());
            for (int i = 0; i < text.length(); i++) {
                appendChar(sb, text.charAt(i));
            }
        } catch (CharacterCodingException e) {
            for (int i = 0; i < shown; i++) {
                int b = bytes.get(bytes.position() + i) & 0xff;
                if (b < 0x80) {
                    appendChar(sb, (char) b);
                } else {
                    sb.append(String.format("\\x%02x", b));
                }
            }
        }
        if (length > shown) {
            sb.append("... (").append(length - shown).append(" more bytes)");
        }
        return sb.toString();
    }

    private static void appendChar(StringBuilder sb, char c) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\\' -> sb.append("\\\\");
            default -> {
                if (Character.isISOControl(c)) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
