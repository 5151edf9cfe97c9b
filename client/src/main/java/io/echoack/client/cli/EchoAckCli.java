package io.echoack.client.cli;

import io.echoack.common.transport.MachineId;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code echoack} command: talks to an echoack server (or any echo/ack server) over TCP, UDP and Unix
 * sockets. The subcommands do the work; this class owns what they share: standard input, standard output as
 * bytes (replies are written there unchanged, whatever their encoding; prompts, help and reports go through
 * picocli's {@code getOut()}), whether stdin is a terminal, and how failures become one line on stderr and an
 * exit code ({@link ExitCodes}).
 *
 * <p>Tests run it in-process with {@code new CommandLine(new EchoAckCli(stdin, stdout, false)).execute(args)};
 * use {@link #newCommandLine()} for the same error handling as {@link #main}. Only {@code main} exits the JVM.
 */
@Command(name = "echoack",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sends messages to an echoack server (or any echo/ack server) over TCP, UDP, TLS or Unix "
                + "sockets and prints the replies; probes its health; measures its throughput and latency.",
        subcommands = {SendCommand.class, ChatCommand.class, CheckCommand.class, BenchCommand.class},
        footerHeading = "%nEndpoints:%n",
        footer = {"  tcp://HOST:PORT   udp://HOST:PORT   tls://HOST:PORT   unix:///PATH   unixgram:///PATH",
                "  with optional ?mode=ack|echo&framing=line|raw|length, e.g. tcp://[::1]:7?mode=echo",
                "  'send HOST PORT' means tcp://HOST:PORT, as in the sockets tutorial."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.TIMEOUT_HELP,
                ExitCodes.REFUSED_HELP, ExitCodes.RESET_HELP, ExitCodes.RESOLVE_HELP, ExitCodes.TLS_HELP,
                ExitCodes.WRONG_REPLY_HELP})
public final class EchoAckCli implements Callable<Integer> {

    private final InputStream stdin;
    private final OutputStream stdout;
    private final boolean stdinIsTerminal;

    @Spec
    CommandSpec spec;

    /** The real command: standard input and output, and a terminal when the JVM has a console. */
    public EchoAckCli() {
        this(System.in, System.out, System.console() != null);
    }

    /**
     * A command reading {@code stdin} and writing replies to {@code stdout}. Whatever else it prints goes to
     * the command line's {@code getOut()}; point both at the same place.
     *
     * @param stdinIsTerminal whether to behave as on a terminal: prompt, and read one message when none is given
     */
    public EchoAckCli(InputStream stdin, OutputStream stdout, boolean stdinIsTerminal) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stdinIsTerminal = stdinIsTerminal;
    }

    public static void main(String[] args) {
        MachineId.setRandomUnlessSet(); // before Netty makes a channel: no MAC address lookup, no WARN without one
        System.exit(new EchoAckCli().newCommandLine().execute(args));
    }

    /** A command line for this command with echoack's usage-error and failure handling installed. */
    public CommandLine newCommandLine() {
        return configure(new CommandLine(this));
    }

    /** Installs echoack's handling of usage errors (short, exit 2) and failures (one line, exit code by kind). */
    public static CommandLine configure(CommandLine commandLine) {
        return commandLine
                .setParameterExceptionHandler(EchoAckCli::usageError)
                .setExecutionExceptionHandler(EchoAckCli::executionFailure);
    }

    InputStream stdin() {
        return stdin;
    }

    OutputStream stdout() {
        return stdout;
    }

    boolean stdinIsTerminal() {
        return stdinIsTerminal;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: send, chat, check or bench");
    }

    /** Prints the error and where to find help, nothing else, and exits with {@link ExitCodes#USAGE}. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("echoack: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Turns an exception a command did not handle into one line on stderr and an exit code. */
    private static int executionFailure(Exception e, CommandLine cmd, ParseResult parseResult) {
        return Failures.report(cmd, e);
    }
}
