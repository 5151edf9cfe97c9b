package io.echoack.server.interop;

import io.echoack.common.testing.LeakGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Drains the leak guard after an in-process server closed, tolerating exactly one known server bug and
 * failing on every other leak report.
 *
 * <p>The known bug: {@code AckResponder}, {@code StreamErrorHandler} and {@code DatagramResponder} build
 * their reply templates with {@code Unpooled.unreleasableBuffer(Unpooled.directBuffer(..))} and never
 * release them, so every closed server leaves buffers behind that the leak detector reports once they are
 * garbage-collected. {@link ClosedServerLeakIT} reproduces it. Remove this class (and call nothing in its
 * place: the automatic leak guard then does the whole job) once that test passes.
 */
final class KnownServerLeaks {

    /** A report whose creation record is one of the reply templates built in a handler's constructor. */
    private static final Pattern REPLY_TEMPLATE = Pattern.compile(
            "(?s).*Created at:.*io\\.echoack\\.server\\.(stream\\.AckResponder|stream\\.StreamErrorHandler"
                    + "|datagram\\.DatagramResponder)\\.<init>.*");

    private KnownServerLeaks() {
    }

    /**
     * Collects leak reports until none are new and fails on any that is not a reply template.
     *
     * @throws AssertionError listing every other leak report
     */
    static void drainToleratingReplyTemplates() {
        List<String> unexpected = new ArrayList<>();
        int tolerated = 0;
        for (int round = 0; round < 3; round++) {
            List<String> leaks = LeakGuard.collect();
            for (String leak : leaks) {
                if (REPLY_TEMPLATE.matcher(leak).matches()) {
                    tolerated++;
                } else {
                    unexpected.add(leak);
                }
            }
            if (leaks.isEmpty() && round > 0) {
                break;
            }
        }
        if (tolerated > 0) {
            System.err.println("[interop] tolerated " + tolerated + " leak report(s) of server reply templates "
                    + "(known bug, see ClosedServerLeakIT)");
        }
        if (!unexpected.isEmpty()) {
            throw new AssertionError(unexpected.size() + " ByteBuf leak report(s):\n"
                    + String.join("\n\n", unexpected));
        }
    }
}
