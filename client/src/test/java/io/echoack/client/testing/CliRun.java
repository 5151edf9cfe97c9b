package io.echoack.client.testing;

import io.echoack.client.cli.EchoAckCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the echoack command in-process, as its tests need: given stdin, captured stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {

    /** With stdin piped (not a terminal) and echoack's own error handling, as {@code main} runs it. */
    public static CliRun run(String stdin, String... args) {
        return run(stdin, false, args);
    }

    public static CliRun run(String stdin, boolean terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        EchoAckCli cli = new EchoAckCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal);
        CommandLine commandLine = cli.newCommandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** As the brief's plain form, {@code new CommandLine(new EchoAckCli())}, without echoack's handlers. */
    public static CliRun runPlain(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        EchoAckCli cli = new EchoAckCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false);
        int exitCode = new CommandLine(cli).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** Lines of stdout, with the platform's line separators. */
    public String[] outLines() {
        return out.isEmpty() ? new String[0] : out.split("\\R");
    }
}
