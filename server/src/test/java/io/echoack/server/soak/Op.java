package io.echoack.server.soak;

/** One step of a fuzz connection's plan, run in order by {@link StreamFuzzer}. */
sealed interface Op {

    /** Starts an action: counted under {@code name} and kept in the connection's history. */
    record Mark(String name) implements Op {
    }

    /** Queues bytes to send (the reply model learns them at once; they go out as the socket takes them). */
    record Send(byte[] bytes) implements Op {
    }

    /**
     * Waits until {@code millis} after the current action began (its {@link Mark}): measured from there, not
     * from this step, so that a busy client thread catches up instead of stretching an action's pauses.
     */
    record Sleep(long millis) implements Op {
    }

    /** Waits until every reply owed so far has arrived (and checked); failing after {@code timeoutMillis}. */
    record AwaitReplies(long timeoutMillis) implements Op {
    }

    /** Stops reading for a while; the plan goes on (sending) meanwhile. */
    record PauseReading(long millis) implements Op {
    }

    /**
     * Reads at most {@code bytesPerRead} bytes every 10 ms, for at most {@code millis} (then freely again, so
     * that a slow reader never looks idle to the server however busy this client's thread is).
     */
    record SlowRead(int bytesPerRead, long millis) implements Op {
    }

    /** Terminal: closes the connection normally. */
    record Close() implements Op {
    }

    /** Terminal: closes with SO_LINGER 0, so that the server gets a reset (a plain close on Unix sockets). */
    record Reset() implements Op {
    }

    /**
     * Terminal: shuts down the output once everything queued is written; then every reply owed (the last
     * unterminated line's too) must arrive, followed by a clean end of stream, within {@code timeoutMillis}.
     */
    record HalfClose(long timeoutMillis) implements Op {
    }

    /**
     * Terminal: the server must close the connection, not before {@code minMillis} after the last byte was
     * written (timeouts must not fire early) and not after {@code maxMillis}. With {@code mayLoseReplies}
     * the close may come as a reset that destroys replies still in flight, so only a prefix of them is
     * required; otherwise all of them are.
     */
    record AwaitServerClose(long minMillis, long maxMillis, String reason, boolean mayLoseReplies) implements Op {
    }
}
