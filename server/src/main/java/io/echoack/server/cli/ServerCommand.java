package io.echoack.server.cli;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.ServerStartException;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.tls.TlsSettings;
import io.echoack.server.udp.ReflectionGuardSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code echoack-server}: reads flags (each with an environment-variable default, so that a container is
 * configured by its environment) into a {@link ServerConfig}, starts the server, and serves until SIGTERM
 * or SIGINT, then drains and exits 0. Bad configuration and failed startup are one line on stderr and
 * exit 2.
 */
@Command(name = "echoack-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Echo/ack server for TCP, UDP, TLS and Unix-domain sockets, all from one process.",
            "Each message gets an acknowledgement (ack mode, the default) or its own bytes back (echo mode).",
            "Every option can also be set by the environment variable named in its description."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0   stopped by SIGTERM/SIGINT after a clean shutdown",
            "  2   bad configuration or a listener could not start (e.g. address already in use)",
            "",
            "Examples:",
            "  echoack-server                                   # tcp+udp :51717 and unix:///tmp/echoack.sock",
            "  echoack-server --mode echo -l tcp://127.0.0.1:7007",
            "  echoack-server -l 'tcp://:7?mode=echo' -l 'udp://:7?mode=echo' -l unix:///run/echoack/echo.sock",
            "  echoack-server -l tls://:8443 --tls-cert cert.pem --tls-key key.pem",
            "  ECHOACK_LISTEN=tcp://:51717,udp://:51717 ECHOACK_ADMIN=http://:9090 echoack-server"})
public final class ServerCommand implements Callable<Integer> {

    /** Exit code for bad configuration and failed startup. */
    public static final int EXIT_CONFIG = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--listen"}, paramLabel = "ENDPOINT", split = ",", defaultValue = "${env:ECHOACK_LISTEN}",
            description = {"Endpoint to serve (repeatable, or comma-separated): tcp://HOST:PORT, udp://HOST:PORT, "
                    + "tls://HOST:PORT (needs --tls-cert and --tls-key), unix:///PATH, unixgram:///PATH; optional "
                    + "?mode=ack|echo&framing=line|raw|length.",
                    "Env ECHOACK_LISTEN. Default: tcp://0.0.0.0:51717, udp://0.0.0.0:51717, "
                    + "unix:///tmp/echoack.sock"})
    List<String> listen = new ArrayList<>();

    @Option(names = {"-m", "--mode"}, paramLabel = "MODE", defaultValue = "${env:ECHOACK_MODE:-ack}",
            description = "ack (send the ack text) or echo (send the same bytes). Env ECHOACK_MODE. "
                    + "Default: ack")
    String mode;

    @Option(names = {"-f", "--framing"}, paramLabel = "FRAMING", defaultValue = "${env:ECHOACK_FRAMING}",
            description = "Stream framing: line, raw or length (4-byte big-endian prefix). Env ECHOACK_FRAMING. "
                    + "Default: line in ack mode, raw in echo mode.")
    String framing;

    @Option(names = "--ack-text", paramLabel = "TEXT",
            defaultValue = "${env:ECHOACK_ACK_TEXT:-" + ServerConfig.DEFAULT_ACK_TEXT + "}",
            description = "Ack sent on stream endpoints (line framing adds \\n). Env ECHOACK_ACK_TEXT. "
                    + "Default: " + ServerConfig.DEFAULT_ACK_TEXT)
    String ackText;

    @Option(names = "--datagram-ack-text", paramLabel = "TEXT",
            defaultValue = "${env:ECHOACK_DATAGRAM_ACK_TEXT:-" + ServerConfig.DEFAULT_DATAGRAM_ACK_TEXT + "}",
            description = "Ack sent on datagram endpoints. Env ECHOACK_DATAGRAM_ACK_TEXT. Default: "
                    + ServerConfig.DEFAULT_DATAGRAM_ACK_TEXT)
    String datagramAckText;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "${env:ECHOACK_MAX_FRAME:-65536}",
            description = "Longest stream message accepted, in bytes. Env ECHOACK_MAX_FRAME. Default: 65536")
    String maxFrame;

    @Option(names = {"-t", "--transport"}, paramLabel = "TRANSPORT", defaultValue = "${env:ECHOACK_TRANSPORT:-auto}",
            description = "auto, epoll, kqueue, io_uring or nio; auto picks epoll, then kqueue, then nio. "
                    + "Env ECHOACK_TRANSPORT. Default: auto")
    String transport;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:ECHOACK_THREADS:-0}",
            description = "Event-loop threads; 0 = one per core. Env ECHOACK_THREADS. Default: 0")
    String threads;

    @Option(names = {"-p", "--print-messages"}, defaultValue = "${env:ECHOACK_PRINT_MESSAGES:-false}",
            description = "Print 'Here is the message: <msg>' on stdout for each message (control characters "
                    + "escaped). Env ECHOACK_PRINT_MESSAGES=true.")
    boolean printMessages;

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "${env:ECHOACK_ADMIN}",
            description = "Serve /metrics (Prometheus), /healthz and /readyz over HTTP here, e.g. "
                    + "http://0.0.0.0:9090. Env ECHOACK_ADMIN. Default: off")
    String admin;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "${env:ECHOACK_DRAIN_TIMEOUT:-10s}",
            description = "On SIGTERM/SIGINT, how long connections get to receive the replies they are owed "
                    + "before everything is closed (e.g. 10s, 500ms). Env ECHOACK_DRAIN_TIMEOUT. Default: 10s")
    String drainTimeout;

    @Option(names = "--reuse-port", defaultValue = "${env:ECHOACK_REUSE_PORT:-false}",
            description = "Bind TCP and UDP with SO_REUSEPORT, so that several server processes share a port "
                    + "(Linux, native transport). Env ECHOACK_REUSE_PORT=true.")
    boolean reusePort;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "${env:ECHOACK_MAX_CONNECTIONS:-10000}",
            description = "Most stream connections at once; more are accepted and closed at once (0 = no limit). "
                    + "Env ECHOACK_MAX_CONNECTIONS. Default: 10000")
    String maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            defaultValue = "${env:ECHOACK_MAX_CONNECTIONS_PER_IP:-0}",
            description = "Most stream connections at once from one address (0 = no limit). "
                    + "Env ECHOACK_MAX_CONNECTIONS_PER_IP. Default: 0")
    String maxConnectionsPerIp;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "${env:ECHOACK_IDLE_TIMEOUT:-300s}",
            description = "Close a connection with no traffic for this long (0 = never). Env ECHOACK_IDLE_TIMEOUT. "
                    + "Default: 300s")
    String idleTimeout;

    @Option(names = "--frame-timeout", paramLabel = "DURATION", defaultValue = "${env:ECHOACK_FRAME_TIMEOUT:-30s}",
            description = "Close a connection whose message stays incomplete this long (slowloris; 0 = never). "
                    + "Env ECHOACK_FRAME_TIMEOUT. Default: 30s")
    String frameTimeout;

    @Option(names = "--allow", paramLabel = "CIDR", split = ",", defaultValue = "${env:ECHOACK_ALLOW}",
            description = "Serve TCP and UDP only to these source ranges (repeatable or comma-separated, e.g. "
                    + "10.0.0.0/8, ::1/128). Env ECHOACK_ALLOW. Default: everyone")
    List<String> allow = new ArrayList<>();

    @Option(names = "--udp-guard", negatable = true, defaultValue = "${env:ECHOACK_UDP_GUARD:-true}",
            fallbackValue = "true",
            description = "The UDP reflection guard: no replies to source ports 0-1023, broadcast or multicast "
                    + "sources; per-source rate and reply/request byte-ratio limits. --no-udp-guard turns it off. "
                    + "Env ECHOACK_UDP_GUARD. Default: on")
    boolean udpGuard;

    @Option(names = "--udp-rate", paramLabel = "PACKETS", defaultValue = "${env:ECHOACK_UDP_RATE:-100}",
            description = "Replies per second to one UDP source address. Env ECHOACK_UDP_RATE. Default: 100")
    String udpRate;

    @Option(names = "--udp-burst", paramLabel = "PACKETS", defaultValue = "${env:ECHOACK_UDP_BURST:-200}",
            description = "Replies one UDP source may get at once, above the rate. Env ECHOACK_UDP_BURST. Default: 200")
    String udpBurst;

    @Option(names = "--udp-allow-port", paramLabel = "PORT", split = ",", defaultValue = "${env:ECHOACK_UDP_ALLOW_PORTS}",
            description = "A privileged source port (1-1023) that UDP replies may go to anyway (repeatable). "
                    + "Env ECHOACK_UDP_ALLOW_PORTS. Default: none")
    List<String> udpAllowPorts = new ArrayList<>();

    @Option(names = "--socket-mode", paramLabel = "MODE", defaultValue = "${env:ECHOACK_SOCKET_MODE:-0660}",
            description = "Permissions of Unix socket files, in octal: who may connect (write permission). "
                    + "Env ECHOACK_SOCKET_MODE. Default: 0660 (owner and group)")
    String socketMode;

    @Option(names = "--socket-group", paramLabel = "GROUP", defaultValue = "${env:ECHOACK_SOCKET_GROUP}",
            description = "Give Unix socket files to this group (a name or numeric gid), so that its members may "
                    + "connect under --socket-mode 0660. The server must run as root or be a member of the group. "
                    + "Env ECHOACK_SOCKET_GROUP. Default: the server's own group")
    String socketGroup;

    @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "${env:ECHOACK_TLS_CERT}",
            description = "PEM certificate chain of the tls:// endpoints, the server's own certificate first. "
                    + "Env ECHOACK_TLS_CERT.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "${env:ECHOACK_TLS_KEY}",
            description = "PEM private key of --tls-cert, PKCS#8 ('BEGIN PRIVATE KEY'). Env ECHOACK_TLS_KEY.")
    String tlsKey;

    @Option(names = "--tls-key-password", paramLabel = "PASSWORD", defaultValue = "${env:ECHOACK_TLS_KEY_PASSWORD}",
            description = "Password of an encrypted --tls-key ('BEGIN ENCRYPTED PRIVATE KEY'); prefer the "
                    + "environment, which ps does not show. Env ECHOACK_TLS_KEY_PASSWORD.")
    String tlsKeyPassword;

    @Option(names = "--tls-client-ca", paramLabel = "FILE", defaultValue = "${env:ECHOACK_TLS_CLIENT_CA}",
            description = "PEM CA certificates: when set, every TLS client must present a certificate signed by "
                    + "one of them (mutual TLS). Env ECHOACK_TLS_CLIENT_CA. Default: no client certificates")
    String tlsClientCa;

    @Option(names = "--tls-provider", paramLabel = "PROVIDER", defaultValue = "${env:ECHOACK_TLS_PROVIDER:-auto}",
            description = "auto, openssl or jdk: the TLS engine; auto picks openssl (BoringSSL) when it loads, "
                    + "else jdk. Env ECHOACK_TLS_PROVIDER. Default: auto")
    String tlsProvider;

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION",
            defaultValue = "${env:ECHOACK_TLS_HANDSHAKE_TIMEOUT:-10s}",
            description = "Close a TLS connection whose handshake is not done this long after it connected. "
                    + "Env ECHOACK_TLS_HANDSHAKE_TIMEOUT. Default: 10s")
    String tlsHandshakeTimeout;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:ECHOACK_LOG_LEVEL:-info}",
            description = "error, warn, info, debug or trace. Env ECHOACK_LOG_LEVEL. Default: info")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:ECHOACK_LOG_FORMAT:-text}",
            description = "text (one line per event) or json (one JSON object per line, for log collectors). "
                    + "Env ECHOACK_LOG_FORMAT. Default: text")
    String logFormat;

    @Option(names = {"-v", "--verbose"}, description = "Same as --log-level debug, plus stack traces with "
            + "startup errors.")
    boolean verbose;

    private final CompletableFuture<Void> stopRequested;

    /** A command that serves until {@code stopRequested} completes (signals complete it in {@link Main}). */
    public ServerCommand(CompletableFuture<Void> stopRequested) {
        this.stopRequested = stopRequested;
    }

    /**
     * Builds the validated configuration. Each value's error names the flag or, when the value came from
     * the environment, the variable.
     */
    ServerConfig config() {
        List<Endpoint> endpoints = listen.isEmpty() ? ServerConfig.DEFAULT_LISTEN
                : value("--listen", "ECHOACK_LISTEN", () -> listen.stream().map(String::trim)
                        .filter(s -> !s.isEmpty()).map(Endpoint::parse).toList());
        return ServerConfig.defaults().toBuilder()
                .listen(endpoints.isEmpty() ? ServerConfig.DEFAULT_LISTEN : endpoints)
                .mode(value("--mode", "ECHOACK_MODE", () -> ReplyMode.parse(mode)))
                .framing(value("--framing", "ECHOACK_FRAMING",
                        () -> Optional.ofNullable(framing).filter(f -> !f.isBlank()).map(Framing::parse)))
                .ackText(ackText)
                .datagramAckText(datagramAckText)
                .maxFrameLength(value("--max-frame", "ECHOACK_MAX_FRAME", () -> integer(maxFrame)))
                .transport(value("--transport", "ECHOACK_TRANSPORT", () -> Transport.parse(transport)))
                .threads(value("--threads", "ECHOACK_THREADS", () -> integer(threads)))
                .printMessages(printMessages)
                .admin(value("--admin", "ECHOACK_ADMIN",
                        () -> Optional.ofNullable(admin).filter(a -> !a.isBlank()).map(AdminEndpoint::parse)))
                .drainTimeout(value("--drain-timeout", "ECHOACK_DRAIN_TIMEOUT", () -> Durations.parse(drainTimeout)))
                .reusePort(reusePort)
                .limits(value("--max-connections", "ECHOACK_MAX_CONNECTIONS", () -> new ConnectionLimits(
                        integer(maxConnections), value("--max-connections-per-ip", "ECHOACK_MAX_CONNECTIONS_PER_IP",
                                () -> integer(maxConnectionsPerIp)))))
                .timeouts(value("--idle-timeout", "ECHOACK_IDLE_TIMEOUT", () -> new Timeouts(
                        Durations.parse(idleTimeout), value("--frame-timeout", "ECHOACK_FRAME_TIMEOUT",
                                () -> Durations.parse(frameTimeout)))))
                .allow(value("--allow", "ECHOACK_ALLOW", () -> SourceFilter.parse(
                        allow.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())))
                .udpGuard(value("--udp-rate", "ECHOACK_UDP_RATE", () -> ReflectionGuardSettings.defaults()
                        .withEnabled(udpGuard)
                        .withPacketRate(integer(udpRate), value("--udp-burst", "ECHOACK_UDP_BURST",
                                () -> integer(udpBurst)))
                        .withAllowedPrivilegedPorts(value("--udp-allow-port", "ECHOACK_UDP_ALLOW_PORTS",
                                () -> udpAllowPorts.stream().map(String::trim).filter(s -> !s.isEmpty())
                                        .map(ServerCommand::integer).collect(java.util.stream.Collectors.toSet())))))
                .socketMode(value("--socket-mode", "ECHOACK_SOCKET_MODE", () -> ServerConfig.parseSocketMode(socketMode)))
                .socketGroup(value("--socket-group", "ECHOACK_SOCKET_GROUP", () -> Optional.ofNullable(socketGroup)
                        .filter(g -> !g.isBlank()).map(ServerConfig::parseSocketGroup)))
                .tls(tls())
                .build();
    }

    private TlsSettings tls() {
        return new TlsSettings(path(tlsCert), path(tlsKey),
                Optional.ofNullable(tlsKeyPassword).filter(p -> !p.isEmpty()), path(tlsClientCa),
                value("--tls-provider", "ECHOACK_TLS_PROVIDER", () -> TlsProvider.parse(tlsProvider)),
                value("--tls-handshake-timeout", "ECHOACK_TLS_HANDSHAKE_TIMEOUT",
                        () -> Durations.parse(tlsHandshakeTimeout)));
    }

    /** A file option: empty when not given (or given empty, as an unset variable in a container may be). */
    private static Optional<Path> path(String text) {
        return Optional.ofNullable(text).map(String::trim).filter(t -> !t.isEmpty()).map(Path::of);
    }

    private <T> T value(String option, String env, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            boolean fromFlag = spec.commandLine().getParseResult() != null
                    && spec.commandLine().getParseResult().hasMatchedOption(option);
            throw new IllegalArgumentException((fromFlag ? option : env) + ": " + e.getMessage(), e);
        }
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config;
        try {
            Logging.configure(verbose ? "debug" : value("--log-level", "ECHOACK_LOG_LEVEL", () -> logLevel),
                    value("--log-format", "ECHOACK_LOG_FORMAT", () -> logFormat));
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
