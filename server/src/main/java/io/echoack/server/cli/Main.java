package io.echoack.server.cli;

import io.echoack.cli.EnvironmentDefaults;
import io.echoack.cli.SettingsHelp;
import io.echoack.common.transport.MachineId;
import io.echoack.common.transport.NettyJfrEvents;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import sun.misc.Signal;

/**
 * Entry point of {@code echoack-server}. The only place that exits the JVM. SIGTERM and SIGINT request an
 * orderly stop (after {@code --drain-delay}: close listeners, flush replies, remove socket files) and the
 * process then exits 0, which a plain JVM shutdown hook could not give (the JVM would exit 143). A second
 * signal during the drain delay starts the drain at once. SIGHUP asks the running server to read its
 * configuration again ({@link ReloadRequests}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        MachineId.setRandomUnlessSet(); // before Netty makes a channel: no MAC address lookup, no WARN without one
        LeakDetection.configure(); // off unless -Dio.netty.leakDetection.level says otherwise
        NettyJfrEvents.offUnlessSet(); // before Netty's allocator runs: -Dio.netty.jfr.enabled=true to record them
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Void> drainNow = new CompletableFuture<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                // the first signal stops (after --drain-delay), a second one drains at once
                Signal.handle(new Signal(name), signal -> {
                    if (!stop.complete(null)) {
                        drainNow.complete(null);
                    }
                });
            } catch (IllegalArgumentException unsupported) {
                // this platform has no such signal; the default handling stays
            }
        }
        ReloadRequests reloads = new ReloadRequests();
        try {
            Signal.handle(new Signal("HUP"), signal -> reloads.request()); // the JVM's own thread per signal
        } catch (IllegalArgumentException unsupported) {
            // no SIGHUP here (Windows): no reloads
        }
        int exitCode = execute(stop, drainNow, reloads, new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                System.getenv(), args);
        Logging.stop(); // log lines are written by a queue: write the last ones before the JVM ends
        System.exit(exitCode);
    }

    /**
     * Runs the command until it fails to start or {@code stop} completes, and returns its exit code.
     * Tests call this with their own writers.
     */
    public static int execute(CompletableFuture<Void> stop, PrintWriter out, PrintWriter err, String... args) {
        return execute(stop, out, err, System.getenv(), args);
    }

    /** As {@link #execute(CompletableFuture, PrintWriter, PrintWriter, String...)}, with this environment. */
    public static int execute(CompletableFuture<Void> stop, PrintWriter out, PrintWriter err,
                              Map<String, String> environment, String... args) {
        return execute(stop, new CompletableFuture<>(), out, err, environment, args);
    }

    /**
     * As {@link #execute(CompletableFuture, PrintWriter, PrintWriter, Map, String...)}; when {@code drainNow}
     * completes after {@code stop}, the drain starts without waiting out the rest of {@code --drain-delay}.
     */
    public static int execute(CompletableFuture<Void> stop, CompletableFuture<Void> drainNow, PrintWriter out,
                              PrintWriter err, Map<String, String> environment, String... args) {
        return execute(stop, drainNow, new ReloadRequests(), out, err, environment, args);
    }

    /**
     * As {@link #execute(CompletableFuture, CompletableFuture, PrintWriter, PrintWriter, Map, String...)}, reading
     * the configuration again at each of {@code reloads} (SIGHUP).
     */
    public static int execute(CompletableFuture<Void> stop, CompletableFuture<Void> drainNow,
                              ReloadRequests reloads, PrintWriter out, PrintWriter err,
                              Map<String, String> environment, String... args) {
        CommandLine cli = new CommandLine(new ServerCommand(stop, drainNow, reloads)).setOut(out).setErr(err)
                .setDefaultValueProvider(new ServerDefaults(environment))
                .setHelpFactory(new SettingsHelp(ServerSetting.class))
                .setParameterExceptionHandler(Main::usageError);
        return cli.execute(args);
    }

    /**
     * One line naming the flag or variable for a bad value; a pointer to the help as well when picocli cannot
     * read the command line (an unknown option, a missing value: its own subclasses of the exception).
     */
    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("echoack-server: " + message(e));
        if (e.getClass() != ParameterException.class && !(e instanceof EnvironmentDefaults.BadValueException)) {
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try 'echoack-server --help' for more information.");
        }
        err.flush();
        return ServerCommand.EXIT_CONFIG;
    }

    /** picocli's "Invalid value for option '--x': why" as {@code --x: why}. */
    private static String message(ParameterException e) {
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option
                && e.getCause() instanceof CommandLine.TypeConversionException why) {
            return option.longestName() + ": " + why.getMessage();
        }
        return e.getMessage();
    }
}
