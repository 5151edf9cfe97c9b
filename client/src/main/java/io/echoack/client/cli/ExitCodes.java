package io.echoack.client.cli;

import io.echoack.client.net.FailureKind;

/**
 * The exit statuses of every {@code echoack} command, as scripts, CI jobs and container health checks see
 * them: 0 success, 2 usage error, and one code per {@link FailureKind}, so that a script can tell a dropped
 * probe (3) from a rejected one (4). The {@code *_HELP} texts are the lines of each command's "Exit codes"
 * help section.
 */
public final class ExitCodes {

    /** Every message got its reply (for {@code check}: the reply matched the expectation). */
    public static final int OK = 0;

    /** A failure of no more specific kind below. */
    public static final int FAILURE = 1;

    /** The command line was wrong: unknown option, bad endpoint, unsupported transport for the endpoint. */
    public static final int USAGE = 2;

    /** No reply (or no connection) within the timeout; on datagrams, after every retry; in bench, losses too. */
    public static final int TIMEOUT = 3;

    /** Connection refused: nothing listens (TCP RST, ICMP port unreachable, no Unix socket file or server). */
    public static final int REFUSED = 4;

    /** The connection was reset or closed by the server before the reply arrived. */
    public static final int RESET = 5;

    /** The host name does not resolve. */
    public static final int RESOLVE = 6;

    /** The TLS handshake failed. */
    public static final int TLS = 7;

    /**
     * A reply arrived but was not the expected one (a datagram that is not the echo in echo mode, a
     * mismatch in {@code check}), was malformed (too long, unsolicited), or was the server's {@code ERROR:}
     * line.
     */
    public static final int WRONG_REPLY = 8;

    static final String OK_HELP = "0:every message got its reply (check: the expected one)";
    static final String FAILURE_HELP = "1:other failure";
    static final String USAGE_HELP = "2:usage error (bad option, endpoint or transport)";
    static final String TIMEOUT_HELP = "3:timeout: no reply or no connection in time (datagrams: after every retry)";
    static final String REFUSED_HELP = "4:connection refused: nothing listens there (UDP: ICMP port unreachable)";
    static final String RESET_HELP = "5:connection reset or closed by the server before the reply";
    static final String RESOLVE_HELP = "6:the host name does not resolve";
    static final String TLS_HELP = "7:TLS handshake failed";
    static final String WRONG_REPLY_HELP = "8:wrong reply: not the expected one, malformed, or a server's ERROR reply";

    private ExitCodes() {
    }

    /** The exit code for a failure of {@code kind}. */
    public static int of(FailureKind kind) {
        return switch (kind) {
            case TIMEOUT -> TIMEOUT;
            case REFUSED -> REFUSED;
            case RESET -> RESET;
            case RESOLVE -> RESOLVE;
            case TLS -> TLS;
            case WRONG_REPLY -> WRONG_REPLY;
            case OTHER -> FAILURE;
        };
    }
}
