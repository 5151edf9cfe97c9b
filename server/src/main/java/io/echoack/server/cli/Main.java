package io.echoack.server.cli;

import io.echoack.common.transport.MachineId;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * Entry point of {@code echoack-server}. The only place that exits the JVM. SIGTERM and SIGINT request an
 * orderly stop (close listeners, flush replies, remove socket files) and the process then exits 0, which a
 * plain JVM shutdown hook could not give (the JVM would exit 143).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        MachineId.setRandomUnlessSet(); // before Netty makes a channel: no MAC address lookup, no WARN without one
        CompletableFuture<Void> stop = new CompletableFuture<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.complete(null));
            } catch (IllegalArgumentException unsupported) {
                // this platform has no such signal; the default handling stays
            }
        }
        System.exit(execute(stop, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command until it fails to start or {@code stop} completes, and returns its exit code.
     * Tests call this with their own writers.
     */
    public static int execute(CompletableFuture<Void> stop, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ServerCommand(stop)).setOut(out).setErr(err);
        cli.setParameterExceptionHandler((ex, argv) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("echoack-server: " + ex.getMessage());
            cmd.getErr().println("Try 'echoack-server --help' for more information.");
            return ServerCommand.EXIT_CONFIG;
        });
        return cli.execute(args);
    }
}
