package io.echoack.server.soak;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The replies a connection is owed, in order, checked against the bytes that arrive however they are cut.
 * Replies are dropped as soon as they have been checked, so memory follows what is outstanding.
 */
final class ExpectedReplies {

    private final ArrayDeque<byte[]> replies = new ArrayDeque<>();
    private int headPos;
    private long pendingBytes;
    private long offset;

    void add(byte[] reply) {
        if (reply.length == 0) {
            return; // nothing on the wire to wait for
        }
        replies.add(reply);
        pendingBytes += reply.length;
    }

    boolean isEmpty() {
        return pendingBytes == 0;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /** Bytes received and checked so far. */
    long offset() {
        return offset;
    }

    /**
     * Checks the bytes of {@code in} (position to limit) against what is owed, consuming both.
     *
     * @return the number of replies completed by these bytes
     * @throws IllegalStateException describing the first byte that was not owed or differs
     */
    long check(ByteBuffer in) {
        long done = 0;
        byte[] array = in.array();
        int pos = in.arrayOffset() + in.position();
        int end = in.arrayOffset() + in.limit();
        while (pos < end) {
            byte[] head = replies.peek();
            if (head == null) {
                throw new IllegalStateException("unexpected bytes at offset " + offset + ", nothing was owed: "
                        + show(array, pos, Math.min(end, pos + 64)));
            }
            int n = Math.min(head.length - headPos, end - pos);
            int mismatch = Arrays.mismatch(head, headPos, headPos + n, array, pos, pos + n);
            if (mismatch >= 0) {
                throw new IllegalStateException("wrong reply at offset " + (offset + mismatch) + " (byte " + (headPos
                        + mismatch) + " of a " + head.length + "-byte reply): expected " + show(head, 0,
                        Math.min(head.length, 80)) + ", got " + show(array, pos, Math.min(end, pos + mismatch + 40)));
            }
            pos += n;
            headPos += n;
            offset += n;
            pendingBytes -= n;
            if (headPos == head.length) {
                replies.poll();
                headPos = 0;
                done++;
            }
        }
        in.position(in.limit());
        return done;
    }

    private static String show(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\'') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.append("'").toString();
    }
}
