package io.echoack.client.cli;

import io.echoack.cli.SettingsHelp;
import io.echoack.client.net.Connection;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.common.codec.Framing;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
 * the line typed at the tutorial's prompt, or standard input when piped) and prints each reply. Piped input
 * is cut into messages by the framing: lines with line framing and on datagrams, {@code --max-frame} chunks
 * of bytes with length and raw framing, whose replies are written out unchanged so that binary files pass
 * through. Nothing is decoded on the way. Stops at the first message that gets no reply or fails.
 */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        defaultValueProvider = ClientDefaults.class,
        usageHelpWidth = SettingsHelp.WIDTH,
        description = {"Sends each MESSAGE and prints each reply on its own line.",
                "With no MESSAGE on a terminal it asks for one, like the sockets tutorial's client.",
                "With standard input piped, the framing decides what it becomes. Line framing (the default) "
                        + "and datagrams (udp://, unixgram://): each line, without its \\n or \\r\\n, is one "
                        + "message, and each reply is printed on its own line. Length and raw framing: the input's "
                        + "bytes unchanged, in messages of at most --max-frame bytes (the whole input is one "
                        + "message when it fits; empty input sends nothing), and each reply's bytes are written "
                        + "unchanged, no newline added, so that binary data passes through intact.",
                "Bytes are never decoded: text in any encoding, or none, is sent and printed as it is."},
        customSynopsis = {"echoack send [OPTIONS] ENDPOINT [MESSAGE...]",
                "echoack send [OPTIONS] HOST PORT [MESSAGE...]"},
        footerHeading = "%nExamples:%n",
        footer = {"  echoack send 127.0.0.1 51717 hello",
                "  echoack send udp://127.0.0.1:51717 hello --timeout 2s --retries 2",
                "  echoack send 'tcp://127.0.0.1:7?mode=echo' one two three",
                "  printf 'a\\nb\\n' | echoack send unix:///tmp/echoack.sock",
                "  echoack send 'tcp://127.0.0.1:7?mode=echo&framing=length' < in.bin > out.bin",
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
        options.connection.tls.warn(spec.commandLine(), target.endpoint());
        OutputStream stdout = cli.stdout();
        try (EchoAckClient client = builder.build();
             Connection connection = client.connect(target.endpoint())) {
            if (!target.messages().isEmpty()) {
                for (String message : target.messages()) {
                    Replies.writeLine(stdout, connection.send(message.getBytes(StandardCharsets.UTF_8)));
                }
            } else if (cli.stdinIsTerminal()) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(PROMPT);
                out.flush();
                byte[] line = new StdinLines(cli.stdin()).next();
                if (line != null) {
                    Replies.writeLine(stdout, connection.send(line));
                }
            } else if (sendsBytes(connection)) {
                sendChunks(connection, cli.stdin(), options.connection.maxFrameLength, stdout);
            } else {
                sendEachLine(connection, new StdinLines(cli.stdin()), stdout);
            }
            return ExitCodes.OK;
        } catch (EchoAckClientException | TransportUnavailableException | TlsProviderUnavailableException
                 | IllegalArgumentException | UncheckedIOException e) {
            return Failures.report(spec.commandLine(), e);
        }
    }

    /** True for length and raw framing, which carry any bytes; false for line framing and datagrams. */
    static boolean sendsBytes(Connection connection) {
        return connection.framing().filter(f -> f == Framing.LENGTH || f == Framing.RAW).isPresent();
    }

    /** Sends each line as one message and prints each reply on its own line. */
    static void sendEachLine(Connection connection, StdinLines lines, OutputStream stdout) {
        byte[] line;
        while ((line = lines.next()) != null) {
            Replies.writeLine(stdout, connection.send(line));
        }
    }

    /**
     * Sends {@code in} as it is, in messages of at most {@code maxFrame} bytes (one message when it all fits,
     * none when it is empty), and writes each reply unchanged.
     */
    static void sendChunks(Connection connection, InputStream in, int maxFrame, OutputStream stdout) {
        try {
            byte[] chunk;
            while ((chunk = in.readNBytes(maxFrame)).length > 0) {
                Replies.write(stdout, connection.send(chunk));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }
}
