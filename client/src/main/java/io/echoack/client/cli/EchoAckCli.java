package io.echoack.client.cli;

import io.echoack.cli.EnvironmentDefaults;
import io.echoack.cli.SettingsHelp;
import io.echoack.common.transport.MachineId;
import io.echoack.common.transport.NettyJfrEvents;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code echoack} command: talks to an echoack server (or any echo/ack server) over TCP, UDP and Unix
 * sockets. The subcommands do the work; this class owns what they share: standard input, standard output as
 * bytes (replies are written there unchanged, whatever their encoding; prompts, help and reports go through
 * picocli's {@code getOut()}), whether stdin is a terminal, and how failures become one line on stderr and an
 * exit code ({@link ExitCodes}).
 *
 * <p>Tests run it in-process with {@code new CommandLine(new EchoAckCli(stdin, stdout, false)).execute(args)};
 * use {@link #newCommandLine(String...)} for the same error handling and command line as {@link #main}. Only
 * {@code main} exits the JVM.
 */
@Command(name = "echoack",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        defaultValueProvider = ClientDefaults.class,
        usageHelpWidth = SettingsHelp.WIDTH,
        description = "Sends messages to an echoack server (or any echo/ack server) over TCP, UDP, TLS or Unix "
                + "sockets and prints the replies; probes its health; shows what it saw of the connection; "
                + "measures its throughput and latency; merges the results of many bench clients.",
        subcommands = {SendCommand.class, ChatCommand.class, CheckCommand.class, InfoCommand.class,
                BenchCommand.class, MergeCommand.class},
        footerHeading = "%nEndpoints:%n",
        footer = {"  tcp://HOST:PORT   udp://HOST:PORT   tls://HOST:PORT   unix:///PATH   unixgram:///PATH",
                "  with optional ?mode=ack|echo|info&framing=line|raw|length, e.g. tcp://[::1]:7?mode=echo",
                "  'send HOST PORT' means tcp://HOST:PORT, as in the sockets tutorial."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.TIMEOUT_HELP,
                ExitCodes.REFUSED_HELP, ExitCodes.RESET_HELP, ExitCodes.RESOLVE_HELP, ExitCodes.TLS_HELP,
                ExitCodes.WRONG_REPLY_HELP})
public final class EchoAckCli implements Callable<Integer> {

    private final InputStream stdin;
    private final OutputStream stdout;
    private final boolean stdinIsTerminal;
    private final Map<String, String> environment;

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
        this(stdin, stdout, stdinIsTerminal, System.getenv());
    }

    /**
     * As {@link #EchoAckCli(InputStream, OutputStream, boolean)}, taking the defaults of the options from
     * {@code environment} (with {@link #newCommandLine()}) instead of the process's environment.
     */
    public EchoAckCli(InputStream stdin, OutputStream stdout, boolean stdinIsTerminal,
                      Map<String, String> environment) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stdinIsTerminal = stdinIsTerminal;
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        prepareJvm();
        System.exit(new EchoAckCli().newCommandLine(args).execute(args));
    }

    /** What {@link #main} sets before anything else (also for {@link CdsTraining}): system properties Netty reads. */
    static void prepareJvm() {
        MachineId.setRandomUnlessSet(); // before Netty makes a channel: no MAC address lookup, no WARN without one
        NettyJfrEvents.offUnlessSet(); // a command that runs for a moment goes without Netty's allocator events
        DeferredNettyLoggers.installIfCliLogging(); // logback is set up when something is logged, not before
    }

    /**
     * A command line for this command with echoack's usage-error and failure handling and help installed, and
     * the defaults from this command's environment.
     */
    public CommandLine newCommandLine() {
        return configure(new CommandLine(this)).setDefaultValueProvider(new ClientDefaults(environment));
    }

    /**
     * As {@link #newCommandLine()}, made for {@code args}: when the first one names a command, the command line
     * has only that one (picocli builds the model of every command it holds from its annotations at once, which
     * was about a tenth of the CPU time of {@code echoack send}); otherwise all of them.
     */
    public CommandLine newCommandLine(String... args) {
        Class<?> command = args.length == 0 ? null : commandNamed(args[0]);
        if (command == null) {
            return newCommandLine();
        }
        Command top = EchoAckCli.class.getAnnotation(Command.class);
        CommandLine commandLine = new CommandLine(CommandSpec.wrapWithoutInspection(this).name(top.name()));
        commandLine.addSubcommand(args[0], command);
        return configure(commandLine).setDefaultValueProvider(new ClientDefaults(environment));
    }

    /** The class of the command named (or aliased) {@code name}, null if none is. */
    private static Class<?> commandNamed(String name) {
        for (Class<?> command : EchoAckCli.class.getAnnotation(Command.class).subcommands()) {
            Command annotation = command.getAnnotation(Command.class);
            if (annotation.name().equals(name) || List.of(annotation.aliases()).contains(name)) {
                return command;
            }
        }
        return null;
    }

    /**
     * Installs echoack's handling of usage errors (short, exit 2) and failures (one line, exit code by kind), and
     * its help (each option's default and variable under it).
     */
    public static CommandLine configure(CommandLine commandLine) {
        return commandLine
                .setHelpFactory(new SettingsHelp(ClientSetting.class))
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
        throw new MissingParameterException(spec.commandLine(), spec.args(), "missing command: send, chat, check, "
                + "info, bench or merge");
    }

    /**
     * Prints the error and exits with {@link ExitCodes#USAGE}: a bad value is one line naming the flag or
     * variable; a command line picocli cannot read (an unknown option, a missing argument) also gets a pointer
     * to the help.
     */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("echoack: " + message(e));
        if (isAboutTheCommandLine(e)) {
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /** picocli's own kinds of error (unknown option, missing or surplus argument), not a bad value. */
    static boolean isAboutTheCommandLine(ParameterException e) {
        return e.getClass() != ParameterException.class && !(e instanceof EnvironmentDefaults.BadValueException);
    }

    /** picocli's "Invalid value for option '--x': why" as {@code --x: why}. */
    private static String message(ParameterException e) {
        if (e.getArgSpec() instanceof OptionSpec option && e.getCause() instanceof TypeConversionException why) {
            return option.longestName() + ": " + why.getMessage();
        }
        return e.getMessage();
    }

    /** Turns an exception a command did not handle into one line on stderr and an exit code. */
    private static int executionFailure(Exception e, CommandLine cmd, ParseResult parseResult) {
        return Failures.report(cmd, e);
    }
}
