package io.echoack.client.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** How replies are shown: as UTF-8 text, one per line, without the one line terminator they may end with. */
final class Replies {

    private Replies() {
    }

    static String text(byte[] reply) {
        int end = reply.length;
        if (end > 0 && reply[end - 1] == '\n') {
            end--;
            if (end > 0 && reply[end - 1] == '\r') {
                end--;
            }
        }
        return new String(reply, 0, end, StandardCharsets.UTF_8);
    }

    static void print(PrintWriter out, byte[] reply) {
        out.println(text(reply));
        out.flush();
    }
}
