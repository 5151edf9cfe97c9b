package io.echoack.client.cli;

import io.echoack.client.net.EchoAckClientException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns what went wrong in a command into one line on stderr and an {@link ExitCodes exit code}: network
 * outcomes are failures (1), a transport or endpoint the command line asked for that cannot work here is a
 * usage error (2). Commands call this themselves, so the exit codes hold however the command is executed.
 */
final class Failures {

    private Failures() {
    }

    /** Prints {@code failure} as one line and returns its exit code. */
    static int report(CommandLine commandLine, Exception failure) {
        PrintWriter err = commandLine.getErr();
        err.println("echoack: " + describe(failure));
        err.flush();
        return exitCode(failure);
    }

    static int exitCode(Exception failure) {
        if (failure instanceof EchoAckClientException) {
            return ExitCodes.FAILURE;
        }
        if (failure instanceof TransportUnavailableException || failure instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }

    static String describe(Exception failure) {
        if (failure instanceof EchoAckClientException || failure instanceof TransportUnavailableException
                || failure instanceof IllegalArgumentException) {
            return failure.getMessage();
        }
        return "unexpected error: " + failure;
    }
}
