package io.echoack.client.cli;

/**
 * The exit statuses of every {@code echoack} command, as scripts, CI jobs and container health checks
 * see them. The {@code *_HELP} texts are the lines of each command's "Exit codes" help section.
 */
public final class ExitCodes {

    /** Every message got its reply (for {@code check}: the reply matched the expectation). */
    public static final int OK = 0;

    /** A reply did not arrive (timeout, connection refused or closed) or was not the expected one. */
    public static final int FAILURE = 1;

    /** The command line was wrong: unknown option, bad endpoint, unsupported transport for the endpoint. */
    public static final int USAGE = 2;

    static final String OK_HELP = "0:every message got its reply (check: the expected one)";
    static final String FAILURE_HELP = "1:no reply (timeout, connection refused or closed) or a wrong reply";
    static final String USAGE_HELP = "2:usage error (bad option, endpoint or transport)";

    private ExitCodes() {
    }
}
