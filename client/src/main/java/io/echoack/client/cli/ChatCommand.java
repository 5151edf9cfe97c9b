package io.echoack.client.cli;

import io.echoack.cli.SettingsHelp;
import io.echoack.client.net.Connection;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.common.codec.Framing;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code echoack chat}: an interactive session on one connection. Each line typed is sent and its reply
 * printed on its own line, as the bytes that came, until end of input (Ctrl-D). Prompts with {@code > } only
 * on a terminal, so that its output stays clean when driven by a script.
 */
@Command(name = "chat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        defaultValueProvider = ClientDefaults.class,
        usageHelpWidth = SettingsHelp.WIDTH,
        description = {"Sends each line typed and prints its reply, on one connection, until end of input "
                + "(Ctrl-D)."},
        customSynopsis = {"echoack chat [OPTIONS] ENDPOINT", "echoack chat [OPTIONS] HOST PORT"},
        footerHeading = "%nExamples:%n",
        footer = {"  echoack chat tcp://127.0.0.1:51717",
                "  echoack chat unixgram:///tmp/echoack-dgram.sock --timeout 1s"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.TIMEOUT_HELP,
                ExitCodes.REFUSED_HELP, ExitCodes.RESET_HELP, ExitCodes.RESOLVE_HELP, ExitCodes.TLS_HELP,
                ExitCodes.WRONG_REPLY_HELP})
final class ChatCommand implements Callable<Integer> {

    /** Shown before each line on a terminal. */
    static final String PROMPT = "> ";

    @Parameters(arity = "1..2", paramLabel = "ENDPOINT|HOST PORT",
            description = "Where to talk to: ENDPOINT, or HOST PORT for TCP.")
    List<String> arguments;

    @Mixin
    ClientOptionsMixin options;

    @ParentCommand
    EchoAckCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Target target = Target.parse(arguments, spec.commandLine());
        if (!target.messages().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "chat reads its messages from standard input; "
                    + "to send '" + target.messages().get(0) + "' use echoack send");
        }
        EchoAckClient.Builder builder = options.clientBuilder(spec.commandLine());
        options.connection.tls.warn(spec.commandLine(), target.endpoint());
        PrintWriter out = spec.commandLine().getOut();
        OutputStream stdout = cli.stdout();
        boolean prompt = cli.stdinIsTerminal();
        try (EchoAckClient client = builder.build();
             Connection connection = client.connect(target.endpoint())) {
            boolean raw = connection.framing().filter(f -> f == Framing.RAW).isPresent();
            StdinLines lines = new StdinLines(cli.stdin());
            while (true) {
                if (prompt) {
                    out.print(PROMPT);
                    out.flush();
                }
                byte[] line = lines.next();
                if (line == null) {
                    break;
                }
                if (line.length == 0 && raw) {
                    continue;
                }
                Replies.writeLine(stdout, connection.send(line));
            }
            if (prompt) {
                out.println();
                out.flush();
            }
            return ExitCodes.OK;
        } catch (EchoAckClientException | TransportUnavailableException | TlsProviderUnavailableException
                 | IllegalArgumentException | UncheckedIOException e) {
            return Failures.report(spec.commandLine(), e);
        }
    }
}
