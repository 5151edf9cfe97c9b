package io.echoack.client.bench;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Checks received bytes against expected ones by copying them out of the (usually direct) buffer in one go and
 * comparing arrays, which the JVM does with vector instructions, where {@link io.netty.buffer.ByteBufUtil#equals}
 * reads eight bytes at a time from each side, each read checked for bounds and reference count (what that costs:
 * bench/README.md, "The load generator's own cost").
 */
final class ByteCompare {

    /** The most bytes copied at once: a larger comparison goes in pieces of this size. */
    static final int MAX_SCRATCH = 4096;

    private ByteCompare() {
    }

    /** A scratch array for comparing {@code length} bytes at once (at least 1 byte, at most {@link #MAX_SCRATCH}). */
    static byte[] scratch(int length) {
        return new byte[Math.max(1, Math.min(length, MAX_SCRATCH))];
    }

    /**
     * True when the {@code length} bytes of {@code in} at {@code offset} equal those of {@code expected} at
     * {@code from}; {@code scratch} (any size) holds the copies. Reader and writer indexes are not touched.
     */
    static boolean equal(ByteBuf in, int offset, byte[] expected, int from, int length, byte[] scratch) {
        while (length > 0) {
            int n = Math.min(length, scratch.length);
            in.getBytes(offset, scratch, 0, n);
            if (!Arrays.equals(scratch, 0, n, expected, from, from + n)) {
                return false;
            }
            offset += n;
            from += n;
            length -= n;
        }
        return true;
    }
}
