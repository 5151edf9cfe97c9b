package io.echoack.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads standard input one line at a time as bytes, without its {@code \n} or {@code \r\n}, so that what is
 * sent is exactly what was typed or piped, whatever its encoding. Not buffered beyond the current line, so
 * that an interactive session never waits for more than the user typed.
 */
final class StdinLines {

    private final InputStream in;

    StdinLines(InputStream in) {
        this.in = in;
    }

    /** The next line, or null at end of input. A last line without terminator is still a line. */
    byte[] next() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    return stripCarriageReturn(line.toByteArray());
                }
                line.write(b);
            }
            return line.size() == 0 ? null : stripCarriageReturn(line.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    private static byte[] stripCarriageReturn(byte[] line) {
        if (line.length > 0 && line[line.length - 1] == '\r') {
            byte[] shorter = new byte[line.length - 1];
            System.arraycopy(line, 0, shorter, 0, shorter.length);
            return shorter;
        }
        return line;
    }
}
