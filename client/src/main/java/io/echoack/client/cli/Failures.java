package io.echoack.client.cli;

import io.echoack.cli.EnvironmentDefaults;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.common.tls.TlsFileException;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns what went wrong in a command into one line on stderr and an {@link ExitCodes exit code}: a network
 * outcome gets the code of its {@link io.echoack.client.net.FailureKind} (3 timeout, 4 refused, 5 reset,
 * 6 resolve, 7 TLS, 8 wrong reply, 1 anything else); a transport, TLS provider, TLS file or endpoint the
 * command line asked for that cannot work here is a usage error (2). Commands call this themselves, so the exit codes hold however
 * the command is executed.
 */
final class Failures {

    private Failures() {
    }

    /** Prints {@code failure} as one line and returns its exit code. */
    static int report(CommandLine commandLine, Exception failure) {
        PrintWriter err = commandLine.getErr();
        err.println("echoack: " + named(commandLine, failure));
        err.flush();
        return exitCode(failure);
    }

    /**
     * The failure, after the flag or variable that gave the setting at fault, when it was one: a TLS file, the
     * transport or the TLS provider.
     */
    static String named(CommandLine commandLine, Exception failure) {
        ClientSetting setting = null;
        String problem = describe(failure);
        if (failure instanceof TlsFileException file) {
            setting = switch (file.role()) {
                case CERTIFICATE -> ClientSetting.TLS_CERT;
                case KEY -> ClientSetting.TLS_KEY;
                case TRUSTED_CA -> ClientSetting.TLS_CA;
            };
            problem = file.problem();
        } else if (failure instanceof TransportUnavailableException) {
            setting = ClientSetting.TRANSPORT;
        } else if (failure instanceof TlsProviderUnavailableException) {
            setting = ClientSetting.TLS_PROVIDER;
        }
        return setting == null ? problem : EnvironmentDefaults.nameIn(commandLine, setting) + ": " + problem;
    }

    static int exitCode(Exception failure) {
        if (failure instanceof EchoAckClientException client) {
            return ExitCodes.of(client.kind());
        }
        if (failure instanceof TransportUnavailableException || failure instanceof TlsProviderUnavailableException
                || failure instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }

    static String describe(Exception failure) {
        if (failure instanceof EchoAckClientException || failure instanceof TransportUnavailableException
                || failure instanceof TlsProviderUnavailableException || failure instanceof IllegalArgumentException) {
            return failure.getMessage();
        }
        if (failure instanceof UncheckedIOException io) {
            return io.getMessage() + ": " + io.getCause().getMessage(); // standard input or output failed
        }
        return "unexpected error: " + failure;
    }
}
