package io.echoack.client.cli;

import io.echoack.cli.EnvironmentDefaults;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.NamesFields;
import io.echoack.common.tls.TlsFileException;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Turns what went wrong in a command into one line on stderr and an {@link ExitCodes exit code}: a network
 * outcome gets the code of its {@link io.echoack.client.net.FailureKind} (3 timeout, 4 refused, 5 reset,
 * 6 resolve, 7 TLS, 8 wrong reply, 1 anything else); a transport, TLS provider, TLS file or endpoint the
 * command line asked for that cannot work here is a usage error (2). Commands call this themselves, so the exit codes hold however
 * the command is executed.
 */
final class Failures {

    /** echoack-server's flags for the fields of its settings that client messages name. */
    private static final Map<String, String> SERVER_FLAGS = Map.of(
            "maxConnectionsPerIp", "--max-connections-per-ip",
            "maxConnections", "--max-connections");

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
        String problem = describe(commandLine, failure);
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

    /**
     * The message of a library failure in this command line's words: when it names settings by field
     * ({@link NamesFields}), each is named as {@link #inCliWords} says; else its message as it is.
     */
    static String message(CommandLine commandLine, Throwable failure) {
        if (failure instanceof NamesFields named) {
            Optional<FieldMessage> message = named.fieldMessage();
            if (message.isPresent()) {
                return inCliWords(commandLine, message.get());
            }
        }
        return failure.getMessage();
    }

    /**
     * A library message with each field it names written as the option that sets it ({@link ClientSetting}):
     * the variable when the value came from one, else the flag. A field no option sets keeps its name.
     */
    static String inCliWords(CommandLine commandLine, FieldMessage message) {
        return message.render(settingNames(commandLine));
    }

    /**
     * What this command line calls the setting of each library field (see {@link #inCliWords}); besides the
     * client's own, the echoack-server settings that the bench report names when the server closed connections
     * at once ({@link io.echoack.client.bench.BenchReport#closedAfterAccept}), as that command's flags.
     */
    static Function<String, String> settingNames(CommandLine commandLine) {
        return field -> ClientSetting.ofField(field)
                .map(setting -> EnvironmentDefaults.nameIn(commandLine, setting))
                .orElseGet(() -> SERVER_FLAGS.getOrDefault(field, field));
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

    static String describe(CommandLine commandLine, Exception failure) {
        if (failure instanceof EchoAckClientException || failure instanceof TransportUnavailableException
                || failure instanceof TlsProviderUnavailableException || failure instanceof IllegalArgumentException) {
            return message(commandLine, failure);
        }
        if (failure instanceof UncheckedIOException io) {
            return io.getMessage() + ": " + io.getCause().getMessage(); // standard input or output failed
        }
        return "unexpected error: " + failure;
    }
}
