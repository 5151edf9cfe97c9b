package io.echoack.client.cli;

import io.echoack.client.net.Connection;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.common.codec.Framing;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code echoack send}: the sockets tutorial's client, grown up. Sends each message given (or, with none,
 * the line typed at the tutorial's prompt, or every line piped in) and prints each reply on its own line.
 * Stops at the first message that gets no reply or fails.
 */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Sends each MESSAGE and prints each reply on its own line.",
                "With no MESSAGE on a terminal it asks for one, like the sockets tutorial's client; with "
                        + "standard input piped, it sends each line read."},
        customSynopsis = {"echoack send [OPTIONS] ENDPOINT [MESSAGE...]",
                "echoack send [OPTIONS] HOST PORT [MESSAGE...]"},
        footerHeading = "%nExamples:%n",
        footer = {"  echoack send 127.0.0.1 51717 hello",
                "  echoack send udp://127.0.0.1:51717 hello --timeout 2s --retries 2",
                "  echoack send 'tcp://127.0.0.1:7?mode=echo' one two three",
                "  printf 'a\\nb\\n' | echoack send unix:///tmp/echoack.sock",
                "  echoack send tls://localhost:8443 hello --tls-ca ca.pem",
                "  echoack send 127.0.0.1 51717 hello --framing raw   # a server that replies without newline"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.TIMEOUT_HELP,
                ExitCodes.REFUSED_HELP, ExitCodes.RESET_HELP, ExitCodes.RESOLVE_HELP, ExitCodes.TLS_HELP,
                ExitCodes.WRONG_REPLY_HELP})
final class SendCommand implements Callable<Integer> {

    /** The tutorial client's prompt, word for word. */
    static final String PROMPT = "Please enter the message: ";

    @Parameters(arity = "1..*", paramLabel = "ENDPOINT|HOST PORT [MESSAGE]",
            description = "Where to send (ENDPOINT, or HOST PORT for TCP), then the messages.")
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
        EchoAckClient.Builder builder = options.clientBuilder(spec.commandLine());
        options.tls.warn(spec.commandLine(), target.endpoint());
        PrintWriter out = spec.commandLine().getOut();
        try (EchoAckClient client = builder.build();
             Connection connection = client.connect(target.endpoint())) {
            if (!target.messages().isEmpty()) {
                for (String message : target.messages()) {
                    Replies.print(out, connection.send(message.getBytes(StandardCharsets.UTF_8)));
                }
            } else if (cli.stdinIsTerminal()) {
                out.print(PROMPT);
                out.flush();
                byte[] line = new StdinLines(cli.stdin()).next();
                if (line != null) {
                    Replies.print(out, connection.send(line));
                }
            } else {
                sendEachLine(connection, new StdinLines(cli.stdin()), out);
            }
            return ExitCodes.OK;
        } catch (EchoAckClientException | TransportUnavailableException | TlsProviderUnavailableException
                 | IllegalArgumentException e) {
            return Failures.report(spec.commandLine(), e);
        }
    }

    /** Sends each line, skipping empty lines where the framing cannot carry them, and prints each reply. */
    static void sendEachLine(Connection connection, StdinLines lines, PrintWriter out) {
        boolean raw = connection.framing().filter(f -> f == Framing.RAW).isPresent();
        byte[] line;
        while ((line = lines.next()) != null) {
            if (line.length == 0 && raw) {
                continue;
            }
            Replies.print(out, connection.send(line));
        }
    }
}
