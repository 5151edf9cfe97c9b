package io.echoack.server.cli;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.ServerStartException;
import io.echoack.server.config.ServerConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code echoack-server}: parses flags into a {@link ServerConfig}, starts the server, and serves until
 * SIGTERM or SIGINT, then closes cleanly and exits 0. Startup problems are one line on stderr and exit 2.
 */
@Command(name = "echoack-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Echo/ack server for TCP, UDP and Unix-domain sockets, all from one process.",
            "Each message gets an acknowledgement (ack mode, the default) or its own bytes back (echo mode)."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0   stopped by SIGTERM/SIGINT after a clean shutdown",
            "  2   bad configuration or a listener could not start (e.g. address already in use)",
            "",
            "Examples:",
            "  echoack-server                                   # tcp+udp :51717 and unix:///tmp/echoack.sock",
            "  echoack-server --mode echo -l tcp://127.0.0.1:7007",
            "  echoack-server -l 'tcp://:7?mode=echo' -l 'udp://:7?mode=echo' -l unix:///run/echoack/echo.sock"})
public final class ServerCommand implements Callable<Integer> {

    /** Exit code for bad configuration and failed startup. */
    public static final int EXIT_CONFIG = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--listen"}, paramLabel = "ENDPOINT",
            description = {"Endpoint to serve (repeatable): tcp://HOST:PORT, udp://HOST:PORT, unix:///PATH, "
                    + "unixgram:///PATH; optional ?mode=ack|echo&framing=line|raw|length.",
                    "Default: tcp://0.0.0.0:51717, udp://0.0.0.0:51717, unix:///tmp/echoack.sock"})
    List<String> listen = new ArrayList<>();

    @Option(names = {"-m", "--mode"}, paramLabel = "MODE", defaultValue = "ack",
            description = "Reply mode: ack (send the ack text) or echo (send the same bytes). Default: ${DEFAULT-VALUE}")
    String mode;

    @Option(names = {"-f", "--framing"}, paramLabel = "FRAMING",
            description = "Stream framing: line, raw or length (4-byte big-endian prefix). "
                    + "Default: line in ack mode, raw in echo mode.")
    String framing;

    @Option(names = "--ack-text", paramLabel = "TEXT", defaultValue = ServerConfig.DEFAULT_ACK_TEXT,
            description = "Ack sent on stream endpoints (line framing adds \\n). Default: ${DEFAULT-VALUE}")
    String ackText;

    @Option(names = "--datagram-ack-text", paramLabel = "TEXT", defaultValue = ServerConfig.DEFAULT_DATAGRAM_ACK_TEXT,
            description = "Ack sent on datagram endpoints. Default: ${DEFAULT-VALUE}")
    String datagramAckText;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "65536",
            description = "Longest stream message accepted, in bytes. Default: ${DEFAULT-VALUE}")
    int maxFrame;

    @Option(names = {"-t", "--transport"}, paramLabel = "TRANSPORT", defaultValue = "auto",
            description = "auto, epoll, kqueue, io_uring or nio. auto picks epoll, then kqueue, then nio. "
                    + "Default: ${DEFAULT-VALUE}")
    String transport;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Event-loop threads; 0 = one per core. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = {"-p", "--print-messages"},
            description = "Print 'Here is the message: <msg>' on stdout for each message (control characters escaped).")
    boolean printMessages;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces with startup errors.")
    boolean verbose;

    private final CompletableFuture<Void> stopRequested;

    /** A command that serves until {@code stopRequested} completes (signals complete it in {@link Main}). */
    public ServerCommand(CompletableFuture<Void> stopRequested) {
        this.stopRequested = stopRequested;
    }

    /** Builds the validated configuration from the flags. */
    ServerConfig config() {
        List<Endpoint> endpoints = listen.isEmpty() ? ServerConfig.DEFAULT_LISTEN
                : listen.stream().map(Endpoint::parse).toList();
        return new ServerConfig(endpoints, ReplyMode.parse(mode),
                Optional.ofNullable(framing).map(Framing::parse), ackText, datagramAckText, maxFrame,
                Transport.parse(transport), threads, printMessages);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (verbose) {
            Logging.enableDebug();
        }
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            err.println("echoack-server: " + e.getMessage());
            err.println("Try 'echoack-server --help' for more information.");
            err.flush();
            return EXIT_CONFIG;
        }
        RunningServer server;
        try {
            server = EchoAckServer.start(config);
        } catch (ServerStartException e) {
            err.println("echoack-server: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_CONFIG;
        }
        try (server) {
            CompletableFuture.anyOf(stopRequested, server.closeFuture()).join();
        }
        return 0;
    }
}
