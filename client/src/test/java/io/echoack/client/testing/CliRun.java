package io.echoack.client.testing;

import io.echoack.client.cli.EchoAckCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs the echoack command in-process, as its tests need: given stdin, captured stdout and stderr.
 * Standard output is captured as bytes ({@link #outBytes()}), as a shell pipe would see them; {@link #out()}
 * is the same bytes read as UTF-8.
 */
public record CliRun(int exitCode, byte[] outBytes, String err) {

    /** With stdin piped (not a terminal) and echoack's own error handling, as {@code main} runs it. */
    public static CliRun run(String stdin, String... args) {
        return run(stdin, false, args);
    }

    public static CliRun run(String stdin, boolean terminal, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), terminal, args);
    }

    /** With {@code stdin} piped as bytes, e.g. a binary file. */
    public static CliRun run(byte[] stdin, String... args) {
        return run(stdin, false, args);
    }

    public static CliRun run(byte[] stdin, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        EchoAckCli cli = new EchoAckCli(new ByteArrayInputStream(stdin), out, terminal);
        CommandLine commandLine = cli.newCommandLine(args)
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        return new CliRun(exitCode, out.toByteArray(), err.toString());
    }

    /**
     * As a program embedding the CLI would run it, {@code new CommandLine(new EchoAckCli())}: picocli's own
     * handlers, without those {@link EchoAckCli#newCommandLine()} installs.
     */
    public static CliRun runPlain(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        EchoAckCli cli = new EchoAckCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, false);
        CommandLine commandLine = new CommandLine(cli)
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        return new CliRun(exitCode, out.toByteArray(), err.toString());
    }

    /** Standard output read as UTF-8. */
    public String out() {
        return new String(outBytes, StandardCharsets.UTF_8);
    }

    /** Lines of stdout, with the platform's line separators. */
    public String[] outLines() {
        String out = out();
        return out.isEmpty() ? new String[0] : out.split("\\R");
    }
}
