package io.echoack.client.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * How replies reach standard output: as the bytes that came, never decoded or re-encoded, so that binary
 * replies and text in any encoding pass through unchanged. A reply is written either as it is (a stream of
 * bytes piped through {@code send}) or as one line (its bytes, then {@code \n} unless it already ends with one).
 */
final class Replies {

    private Replies() {
    }

    /** Writes {@code reply} unchanged and flushes. */
    static void write(OutputStream out, byte[] reply) {
        try {
            out.write(reply);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write standard output", e);
        }
    }

    /** Writes {@code reply} as one line: its bytes, then {@code \n} unless it ends with one; flushes. */
    static void writeLine(OutputStream out, byte[] reply) {
        try {
            out.write(reply);
            if (reply.length == 0 || reply[reply.length - 1] != '\n') {
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write standard output", e);
        }
    }

    /** {@code reply} without the one line terminator ({@code \n} or {@code \r\n}) it may end with. */
    static byte[] withoutLineEnd(byte[] reply) {
        int end = reply.length;
        if (end > 0 && reply[end - 1] == '\n') {
            end--;
            if (end > 0 && reply[end - 1] == '\r') {
                end--;
            }
        }
        return end == reply.length ? reply : Arrays.copyOf(reply, end);
    }
}
