package io.echoack.server.messagelog;

import io.netty.buffer.ByteBuf;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints {@code Here is the message: <msg>} for each message, as the sockets tutorial's server does, without
 * ever blocking an event loop: lines go through a bounded queue to one writer thread. When the output
 * cannot keep up, lines are dropped and counted rather than slowing the server down.
 */
public final class MessageLog implements AutoCloseable {

    /** Lines waiting for the writer; past this many, new lines are dropped. */
    static final int QUEUE_CAPACITY = 65_536;
    /** Longest message shown; longer ones are cut and marked with how many bytes were left out. */
    static final int MAX_SHOWN_BYTES = 4096;

    private static final String PREFIX = "Here is the message: ";
    private static final String STOP = new String("stop"); // identity marker

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final PrintStream out;
    private final Thread writer;

    public MessageLog(PrintStream out) {
        this.out = out;
        this.writer = new Thread(this::writeLoop, "echoack-message-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues the line for {@code payload}; never blocks. The buffer is only read, not released. */
    public void print(ByteBuf payload) {
        if (!queue.offer(PREFIX + escape(payload))) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the output was too slow. */
    public long dropped() {
        return dropped.get();
    }

    private void writeLoop() {
        try {
            while (true) {
                String line = queue.take();
                if (line == STOP) {
                    break;
                }
                out.println(line);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    /** Writes out what is queued (waiting at most a second), then stops the writer. */
    @Override
    public void close() {
        try {
            queue.offer(STOP, 1, TimeUnit.SECONDS);
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long lost = dropped.get();
        if (lost > 0) {
            out.println("(" + lost + " message lines were not printed: output too slow)");
        }
        out.flush();
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
