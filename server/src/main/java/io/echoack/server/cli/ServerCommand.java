package io.echoack.server.cli;

import static io.echoack.server.cli.ServerSetting.ACK_TEXT;
import static io.echoack.server.cli.ServerSetting.ADMIN;
import static io.echoack.server.cli.ServerSetting.ADMIN_CONTROL;
import static io.echoack.server.cli.ServerSetting.ADMIN_TOKEN_FILE;
import static io.echoack.server.cli.ServerSetting.ALLOW;
import static io.echoack.server.cli.ServerSetting.CONNECTION_LOG;
import static io.echoack.server.cli.ServerSetting.DATAGRAM_ACK_TEXT;
import static io.echoack.server.cli.ServerSetting.DRAIN_DELAY;
import static io.echoack.server.cli.ServerSetting.DRAIN_TIMEOUT;
import static io.echoack.server.cli.ServerSetting.FRAME_TIMEOUT;
import static io.echoack.server.cli.ServerSetting.FRAMING;
import static io.echoack.server.cli.ServerSetting.IDENTITY;
import static io.echoack.server.cli.ServerSetting.IDLE_TIMEOUT;
import static io.echoack.server.cli.ServerSetting.LISTEN;
import static io.echoack.server.cli.ServerSetting.LOG_FORMAT;
import static io.echoack.server.cli.ServerSetting.LOG_LEVEL;
import static io.echoack.server.cli.ServerSetting.MAX_CONNECTIONS;
import static io.echoack.server.cli.ServerSetting.MAX_CONNECTIONS_PER_IP;
import static io.echoack.server.cli.ServerSetting.MAX_FRAME;
import static io.echoack.server.cli.ServerSetting.MODE;
import static io.echoack.server.cli.ServerSetting.PROXY_HEADER_TIMEOUT;
import static io.echoack.server.cli.ServerSetting.SOCKET_GROUP;
import static io.echoack.server.cli.ServerSetting.SOCKET_MODE;
import static io.echoack.server.cli.ServerSetting.START_DELAY;
import static io.echoack.server.cli.ServerSetting.THREADS;
import static io.echoack.server.cli.ServerSetting.FAULT_SEED;
import static io.echoack.server.cli.ServerSetting.TLS_CERT;
import static io.echoack.server.cli.ServerSetting.TLS_CLIENT_CA;
import static io.echoack.server.cli.ServerSetting.TLS_HANDSHAKE_TIMEOUT;
import static io.echoack.server.cli.ServerSetting.TLS_KEY;
import static io.echoack.server.cli.ServerSetting.TLS_KEY_PASSWORD;
import static io.echoack.server.cli.ServerSetting.TLS_PROVIDER;
import static io.echoack.server.cli.ServerSetting.TRANSPORT;
import static io.echoack.server.cli.ServerSetting.TRUSTED_PROXY;
import static io.echoack.server.cli.ServerSetting.UDP_ALLOW_PORTS;
import static io.echoack.server.cli.ServerSetting.UDP_BURST;
import static io.echoack.server.cli.ServerSetting.UDP_RATE;

import ch.qos.logback.classic.Level;
import io.echoack.cli.EnvironmentDefaults;
import io.echoack.cli.SettingsHelp;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.tls.TlsFileException;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.Transport;
import io.echoack.common.transport.TransportUnavailableException;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.config.AdminControl;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.connectionlog.ConnectionLogFormat;
import io.echoack.server.identity.IdentityPairs;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.proxy.header.TrustedProxies;
import io.echoack.server.rollout.RolloutDelays;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.tls.TlsSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code echoack-server}: reads flags (each with an environment-variable default, so that a container is
 * configured by its environment, and below that a value from the configuration file, {@code --config}; all
 * written once, in {@link ServerSetting}) into a {@link ServerConfig}, starts the server, and serves until SIGTERM
 * or SIGINT, then drains and exits 0. Bad configuration and failed startup are one line on stderr, naming the
 * flag, variable or file line at fault, and exit 2. SIGHUP builds the configuration again and has the running
 * server apply what needs no restart ({@link RunningServer#reload}).
 */
@Command(name = "echoack-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpWidth = SettingsHelp.WIDTH, defaultValueProvider = ServerDefaults.class,
        description = {
            "Echo/ack server for TCP, UDP, TLS and Unix-domain sockets, all from one process.",
            "Each message gets an acknowledgement (ack mode, the default) or its own bytes back (echo mode).",
            "Every option but --verbose can also be set by the environment variable named under it; a flag wins "
                    + "over its variable, and an empty variable counts as unset."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0   stopped by SIGTERM/SIGINT after a clean shutdown",
            "  2   bad configuration or a listener could not start (e.g. address already in use)",
            "",
            "Examples:",
            "  echoack-server                          # tcp+udp :51717 and unix:///tmp/echoack.sock",
            "  echoack-server --mode echo -l tcp://127.0.0.1:7007",
            "  echoack-server -l 'tcp://:7?mode=echo' -l 'udp://:7?mode=echo' -l unix:///run/echoack/echo.sock",
            "  echoack-server -l tls://:8443 --tls-cert cert.pem --tls-key key.pem",
            "  echoack-server -l 'tcp://:51717?proxy=v2' --trusted-proxy 10.0.0.0/8   # behind a load balancer",
            "  echoack-server -l 'tcp://:51717?mode=info' --identity pod=web-1 --identity zone=eu-west-1a",
            "  ECHOACK_LISTEN=tcp://:51717,udp://:51717 ECHOACK_ADMIN=http://:9090 echoack-server",
            "  echoack-server --admin http://127.0.0.1:9090 --admin-control --admin-token-file /run/secrets/admin-token",
            "  echoack-server --config /etc/echoack/echoack.yaml   # kill -HUP reloads its TLS certificate"})
public final class ServerCommand implements Callable<Integer> {

    /** Exit code for bad configuration and failed startup. */
    public static final int EXIT_CONFIG = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = {"YAML file with any of these options, each as its flag without the dashes (max-frame: 100),",
                "and 'listeners:', a list of endpoints, each a URI or a map of 'endpoint:' and its query keys.",
                "Flags and variables win over the file. SIGHUP reads it again and applies what needs no restart."})
    String config;

    @Option(names = {"-l", "--listen"}, paramLabel = "ENDPOINT", split = ",",
            description = {"Endpoint to serve (repeatable, or comma-separated), one of",
                "  tcp://HOST:PORT  udp://HOST:PORT  tls://HOST:PORT  unix:///PATH  unixgram:///PATH",
                "optionally with ?mode=ack|echo|info&framing=line|raw|length&format=text|json; stream endpoints",
                "also take ?proxy=v1|v2|any|optional: connections start with a PROXY header (needs --trusted-proxy).",
                "tls:// needs --tls-cert and --tls-key."})
    List<String> listen = new ArrayList<>();

    @Option(names = {"-m", "--mode"}, paramLabel = "MODE",
            description = "ack (send the ack text), echo (send the same bytes) or info (describe the connection "
                    + "as the server sees it: host, --identity, addresses, PROXY, TLS).")
    String mode;

    @Option(names = {"-f", "--framing"}, paramLabel = "FRAMING",
            description = "Stream framing: line, raw or length (4-byte big-endian prefix).")
    String framing;

    @Option(names = "--ack-text", paramLabel = "TEXT",
            description = "Ack sent on stream endpoints (line framing adds \\n).")
    String ackText;

    @Option(names = "--datagram-ack-text", paramLabel = "TEXT", description = "Ack sent on datagram endpoints.")
    String datagramAckText;

    @Option(names = "--identity", paramLabel = "KEY=VALUE", split = IdentityPairs.SPLIT,
            description = "What info replies say this server is, e.g. pod=web-1 (repeatable, or comma-separated "
                    + "where a KEY= follows the comma); host=NAME replaces the host name.")
    List<String> identity = new ArrayList<>();

    @Option(names = "--max-frame", paramLabel = "BYTES", description = "Longest stream message accepted, in bytes.")
    String maxFrame;

    @Option(names = {"-t", "--transport"}, paramLabel = "TRANSPORT",
            description = "auto, epoll, kqueue, io_uring or nio; auto picks epoll, then kqueue, then nio.")
    String transport;

    @Option(names = "--threads", paramLabel = "N", description = "Event-loop threads; 0 = one per core.")
    String threads;

    @Option(names = {"-p", "--print-messages"}, converter = TrueOrFalse.class,
            description = "Print 'Here is the message: <msg>' on stdout for each message (control characters "
                    + "escaped). The variable takes true or false.")
    boolean printMessages;

    @Option(names = "--connection-log", paramLabel = "FORMAT",
            description = "One line on stdout per stream connection when it ends (addresses, TLS name and version, "
                    + "times, messages and bytes each way, how it ended): off, text (key=value) or json (one "
                    + "object per line).")
    String connectionLog;

    @Option(names = "--fault-seed", paramLabel = "N",
            description = "Seed of every random choice the listeners' faults make (see ?reset=, ?drop=), so "
                    + "that a run injects the same faults again.")
    String faultSeed;

    @Option(names = "--admin", paramLabel = "URL",
            description = "Serve /metrics (Prometheus), /healthz and /readyz over HTTP here, e.g. http://0.0.0.0:9090.")
    String admin;

    @Option(names = "--admin-control", converter = TrueOrFalse.class,
            description = "Let the admin endpoint change state at run time: POST /ready and /unready, PUT and "
                    + "DELETE /faults, each with the bearer token of --admin-token-file. The variable takes true "
                    + "or false.")
    boolean adminControl;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File holding the bearer token (one word, 16+ characters, e.g. from openssl rand -hex "
                    + "32) that --admin-control requires; read at startup and again on SIGHUP.")
    String adminTokenFile;

    @Option(names = "--drain-timeout", paramLabel = "DURATION",
            description = "On SIGTERM/SIGINT, how long connections get to receive the replies they are owed "
                    + "before everything is closed (e.g. 10s, 500ms).")
    String drainTimeout;

    @Option(names = "--drain-delay", paramLabel = "DURATION",
            description = "On SIGTERM/SIGINT, turn not-ready at once but keep accepting and answering this long "
                    + "before the drain, so that load balancers take the server out first (a second signal drains "
                    + "at once).")
    String drainDelay;

    @Option(names = "--start-delay", paramLabel = "DURATION",
            description = "Listen and answer at once, but say not-ready (/readyz) this long after starting (to test "
                    + "slow starts).")
    String startDelay;

    @Option(names = "--reuse-port", converter = TrueOrFalse.class,
            description = "Bind TCP and UDP with SO_REUSEPORT, so that several server processes share a port "
                    + "(Linux, native transport). The variable takes true or false.")
    boolean reusePort;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Most stream connections at once; more are accepted and closed at once (0 = no limit).")
    String maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            description = "Most stream connections at once from one address (0 = no limit).")
    String maxConnectionsPerIp;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "Close a connection with no traffic for this long (0 = never).")
    String idleTimeout;

    @Option(names = "--frame-timeout", paramLabel = "DURATION",
            description = "Close a connection whose message stays incomplete this long (slowloris; 0 = never).")
    String frameTimeout;

    @Option(names = "--allow", paramLabel = "CIDR", split = ",",
            description = "Serve TCP and UDP only to these source ranges (repeatable or comma-separated), "
                    + "e.g. 10.0.0.0/8 or ::1/128.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--trusted-proxy", paramLabel = "CIDR|unix", split = ",",
            description = "Believe PROXY protocol headers (on ?proxy= endpoints) only from these source ranges "
                    + "(repeatable or comma-separated), e.g. 10.0.0.0/8; unix trusts the peers of Unix sockets.")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--proxy-header-timeout", paramLabel = "DURATION",
            description = "Close a ?proxy= connection whose PROXY header is not complete this long after it connected.")
    String proxyHeaderTimeout;

    @Option(names = "--udp-guard", negatable = true, fallbackValue = "true", converter = TrueOrFalse.class,
            description = "The UDP reflection guard: no replies to source ports 0-1023, broadcast or multicast "
                    + "sources; per-source rate and reply/request byte-ratio limits. --no-udp-guard turns it off; "
                    + "the variable takes true or false.")
    boolean udpGuard;

    @Option(names = "--udp-rate", paramLabel = "PACKETS", description = "Replies per second to one UDP source address.")
    String udpRate;

    @Option(names = "--udp-burst", paramLabel = "PACKETS",
            description = "Replies one UDP source may get at once, above the rate.")
    String udpBurst;

    @Option(names = "--udp-allow-port", paramLabel = "PORT", split = ",",
            description = "A privileged source port (1-1023) that UDP replies may go to anyway (repeatable).")
    List<String> udpAllowPorts = new ArrayList<>();

    @Option(names = "--socket-mode", paramLabel = "MODE",
            description = "Permissions of Unix socket files, in octal: who may connect (write permission).")
    String socketMode;

    @Option(names = "--socket-group", paramLabel = "GROUP",
            description = "Give Unix socket files to this group (a name or numeric gid), so that its members may "
                    + "connect under --socket-mode 0660. The server must run as root or be a member of the group.")
    String socketGroup;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain of the tls:// endpoints, the server's own certificate first.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert, PKCS#8 ('BEGIN PRIVATE KEY').")
    String tlsKey;

    @Option(names = "--tls-key-password", paramLabel = "PASSWORD",
            description = "Password of an encrypted --tls-key ('BEGIN ENCRYPTED PRIVATE KEY'); prefer the "
                    + "environment, which ps does not show.")
    String tlsKeyPassword;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "PEM CA certificates: when set, every TLS client must present a certificate signed by "
                    + "one of them (mutual TLS).")
    String tlsClientCa;

    @Option(names = "--tls-provider", paramLabel = "PROVIDER",
            description = "auto, openssl or jdk: the TLS engine; auto picks openssl (BoringSSL) when it loads, "
                    + "else jdk.")
    String tlsProvider;

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION",
            description = "Close a TLS connection whose handshake is not done this long after it connected.")
    String tlsHandshakeTimeout;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info, debug or trace.")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (one line per event) or json (one JSON object per line, for log collectors).")
    String logFormat;

    @Option(names = {"-v", "--verbose"}, converter = TrueOrFalse.class,
            description = "Same as --log-level debug, plus stack traces with startup errors.")
    boolean verbose;

    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    private final CompletableFuture<Void> stopRequested;
    private final CompletableFuture<Void> drainNowRequested;
    private final ReloadRequests reloadRequests;

    /** The environment variables the command reads, one per setting that has one (see {@link ServerSetting}). */
    public static Set<String> environmentVariables() {
        return Arrays.stream(ServerSetting.values()).flatMap(s -> s.variable().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A command that serves until {@code stopRequested} completes (signals complete it in {@link Main}). */
    public ServerCommand(CompletableFuture<Void> stopRequested) {
        this(stopRequested, new CompletableFuture<>());
    }

    /**
     * A command that serves until {@code stopRequested} completes, and drains at once, without the rest of the
     * drain delay, when {@code drainNowRequested} completes too (a second signal, in {@link Main}).
     */
    public ServerCommand(CompletableFuture<Void> stopRequested, CompletableFuture<Void> drainNowRequested) {
        this(stopRequested, drainNowRequested, new ReloadRequests());
    }

    /**
     * As {@link #ServerCommand(CompletableFuture, CompletableFuture)}, and reads its configuration again at each
     * of {@code reloadRequests} (SIGHUP, in {@link Main}).
     */
    public ServerCommand(CompletableFuture<Void> stopRequested, CompletableFuture<Void> drainNowRequested,
                         ReloadRequests reloadRequests) {
        this.stopRequested = stopRequested;
        this.drainNowRequested = drainNowRequested;
        this.reloadRequests = reloadRequests;
    }

    /**
     * Builds the validated configuration. Each value is checked on its own first, by the same rules
     * {@link ServerConfig} applies, so that its error names its own flag or variable ({@link #value}); values
     * that only fail together are then checked under the name of the one that depends on the other (the burst
     * on the rate, the frame timeout on the idle timeout, a certificate on its key).
     */
    ServerConfig config() {
        if (spec.defaultValueProvider() instanceof ServerDefaults defaults) {
            defaults.file(spec); // read (and checked) even when every option was given some other way
        }
        ServerConfig defaults = ServerConfig.defaults();
        List<Endpoint> endpoints = value(LISTEN, () -> endpoints(listen));
        TlsSettings tls = tls(endpoints);
        ReplyMode replyMode = value(MODE, () -> ReplyMode.parse(mode));
        ProxySettings proxy = proxy(endpoints);
        value(LISTEN, () -> defaults.toBuilder().listen(endpoints).mode(replyMode).tls(tls).proxy(proxy).build());

        int maxConnectionsValue = value(MAX_CONNECTIONS,
                () -> new ConnectionLimits(integer(maxConnections), ConnectionLimits.UNLIMITED).maxConnections());
        int perIpValue = value(MAX_CONNECTIONS_PER_IP, () -> new ConnectionLimits(ConnectionLimits.UNLIMITED,
                integer(maxConnectionsPerIp)).maxConnectionsPerIp());
        ConnectionLimits limits = value(MAX_CONNECTIONS_PER_IP,
                () -> new ConnectionLimits(maxConnectionsValue, perIpValue));

        Duration idle = value(IDLE_TIMEOUT,
                () -> new Timeouts(Durations.parse(idleTimeout), Timeouts.DISABLED).idleTimeout());
        Duration frame = value(FRAME_TIMEOUT,
                () -> new Timeouts(Timeouts.DISABLED, Durations.parse(frameTimeout)).frameTimeout());
        Timeouts timeouts = value(FRAME_TIMEOUT, () -> new Timeouts(idle, frame));

        Optional<AdminEndpoint> adminEndpoint = value(ADMIN,
                () -> given(admin).map(AdminEndpoint::parse));

        ReflectionGuardSettings guard = ReflectionGuardSettings.defaults().withEnabled(udpGuard);
        int rate = value(UDP_RATE,
                () -> guard.withPacketRate(integer(udpRate), guard.burstPackets()).packetsPerSecond());
        int burst = value(UDP_BURST,
                () -> guard.withPacketRate(guard.packetsPerSecond(), integer(udpBurst)).burstPackets());
        ReflectionGuardSettings udp = value(UDP_BURST, () -> guard.withPacketRate(rate, burst))
                .withAllowedPrivilegedPorts(value(UDP_ALLOW_PORTS, () -> guard.withAllowedPrivilegedPorts(
                        ports(udpAllowPorts)).allowedPrivilegedPorts()));

        return defaults.toBuilder()
                .listen(endpoints)
                .mode(replyMode)
                .framing(value(FRAMING, () -> given(framing).map(Framing::parse)))
                .ackText(value(ACK_TEXT, () -> defaults.withAckTexts(ackText, defaults.datagramAckText()).ackText()))
                .datagramAckText(value(DATAGRAM_ACK_TEXT,
                        () -> defaults.withAckTexts(defaults.ackText(), datagramAckText).datagramAckText()))
                .maxFrameLength(value(MAX_FRAME, () -> defaults.withMaxFrameLength(integer(maxFrame)).maxFrameLength()))
                .transport(value(TRANSPORT, () -> Transport.parse(transport)))
                .threads(value(THREADS, () -> defaults.withThreads(integer(threads)).threads()))
                .printMessages(printMessages)
                .connectionLog(value(CONNECTION_LOG, () -> ConnectionLogFormat.parse(connectionLog)))
                .admin(adminEndpoint)
                .adminControl(adminControl(adminEndpoint))
                .drainTimeout(value(DRAIN_TIMEOUT,
                        () -> defaults.withDrainTimeout(Durations.parse(drainTimeout)).drainTimeout()))
                .rollout(new RolloutDelays(
                        value(START_DELAY, () -> RolloutDelays.none().withStartDelay(Durations.parse(startDelay))
                                .startDelay()),
                        value(DRAIN_DELAY, () -> RolloutDelays.none().withDrainDelay(Durations.parse(drainDelay))
                                .drainDelay())))
                .reusePort(reusePort)
                .limits(limits)
                .timeouts(timeouts)
                .allow(value(ALLOW, () -> SourceFilter.parse(givenEach(allow))))
                .udpGuard(udp)
                .socketMode(value(SOCKET_MODE, () -> ServerConfig.parseSocketMode(socketMode)))
                .socketGroup(value(SOCKET_GROUP, () -> given(socketGroup).map(ServerConfig::parseSocketGroup)))
                .tls(tls)
                .proxy(proxy)
                .identity(value(IDENTITY, () -> IdentityPairs.parse(identity)))
                .faultSeed(value(FAULT_SEED, () -> seed(faultSeed)))
                .build();
    }

    /** The endpoints given, or the defaults when none is (an empty list, as an empty variable gives). */
    private static List<Endpoint> endpoints(List<String> texts) {
        List<Endpoint> endpoints = givenEach(texts).stream().map(Endpoint::parse).toList();
        return endpoints.isEmpty() ? ServerConfig.DEFAULT_LISTEN : endpoints;
    }

    private static OptionalLong seed(String text) {
        if (given(text).isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number (a seed is a 64-bit integer)");
        }
    }

    private static Set<Integer> ports(List<String> texts) {
        return givenEach(texts).stream().map(ServerCommand::integer).collect(Collectors.toSet());
    }

    /**
     * The TLS settings, after checking that the ones that belong together are given together; each such error
     * names the setting that is given and says how to set the missing one.
     */
    private TlsSettings tls(List<Endpoint> endpoints) {
        Optional<Path> cert = value(TLS_CERT, () -> path(tlsCert));
        Optional<Path> key = value(TLS_KEY, () -> path(tlsKey));
        Optional<String> password = Optional.ofNullable(tlsKeyPassword).filter(p -> !p.isEmpty());
        Optional<Path> clientCa = value(TLS_CLIENT_CA, () -> path(tlsClientCa));
        TlsProvider provider = value(TLS_PROVIDER, () -> TlsProvider.parse(tlsProvider));
        Duration handshake = value(TLS_HANDSHAKE_TIMEOUT, () -> TlsSettings.none()
                .withHandshakeTimeout(Durations.parse(tlsHandshakeTimeout)).handshakeTimeout());
        Optional<Endpoint> tlsEndpoint = endpoints.stream().filter(e -> e.kind().isTls()).findFirst();
        if (cert.isPresent() && key.isEmpty()) {
            throw invalid(TLS_CERT, "a certificate needs its key: set " + EnvironmentDefaults.howToSet(TLS_KEY));
        }
        if (key.isPresent() && cert.isEmpty()) {
            throw invalid(TLS_KEY, "a key needs its certificate: set " + EnvironmentDefaults.howToSet(TLS_CERT));
        }
        if (password.isPresent() && key.isEmpty()) {
            throw invalid(TLS_KEY_PASSWORD, "there is no key to decrypt: set " + EnvironmentDefaults.howToSet(TLS_KEY));
        }
        if (clientCa.isPresent() && cert.isEmpty()) {
            throw invalid(TLS_CLIENT_CA, "client certificates need the server's own certificate and key: set "
                    + EnvironmentDefaults.howToSet(TLS_CERT) + " and " + EnvironmentDefaults.howToSet(TLS_KEY));
        }
        if (tlsEndpoint.isPresent() && cert.isEmpty()) {
            throw invalid(LISTEN, tlsEndpoint.get().address() + " needs a certificate and its key: set "
                    + EnvironmentDefaults.howToSet(TLS_CERT) + " and " + EnvironmentDefaults.howToSet(TLS_KEY));
        }
        if (tlsEndpoint.isEmpty() && cert.isPresent()) {
            throw invalid(TLS_CERT, "a certificate is set but no endpoint is tls://; listen on one (e.g. "
                    + "-l tls://0.0.0.0:8443) or drop the TLS settings");
        }
        return new TlsSettings(cert, key, password, clientCa, provider, handshake);
    }

    /**
     * The PROXY protocol settings, after checking that PROXY listeners and trusted proxies are given together;
     * each such error names the setting that is given and says how to set the missing one.
     */
    private ProxySettings proxy(List<Endpoint> endpoints) {
        TrustedProxies trusted = value(TRUSTED_PROXY, () -> TrustedProxies.parse(givenEach(trustedProxies)));
        Duration headerTimeout = value(PROXY_HEADER_TIMEOUT, () -> ProxySettings.defaults()
                .withHeaderTimeout(Durations.parse(proxyHeaderTimeout)).headerTimeout());
        for (Endpoint e : endpoints) {
            if (e.proxy().isPresent() && !trusted.covers(e.kind())) {
                throw invalid(LISTEN, e + " takes PROXY headers, but " + (e.kind().isUnixDomain()
                        ? "Unix-socket peers are not trusted: add unix to " + EnvironmentDefaults.howToSet(TRUSTED_PROXY)
                        : "no trusted proxy covers its peers: set " + EnvironmentDefaults.howToSet(TRUSTED_PROXY)
                                + " to the load balancer's addresses"));
            }
        }
        if (!trusted.isEmpty() && endpoints.stream().noneMatch(e -> e.proxy().isPresent())) {
            throw invalid(TRUSTED_PROXY, "no endpoint takes PROXY headers; add ?proxy=v1|v2|any|optional to a "
                    + "tcp://, tls:// or unix:// endpoint (e.g. -l 'tcp://0.0.0.0:51717?proxy=v2'), or drop the setting");
        }
        return new ProxySettings(trusted, headerTimeout);
    }

    /**
     * Run-time control on the admin endpoint, after checking that control, its token file and the admin endpoint
     * are given together; each such error names the setting that is given and how to set the missing one.
     */
    private AdminControl adminControl(Optional<AdminEndpoint> adminEndpoint) {
        Optional<Path> tokenFile = value(ADMIN_TOKEN_FILE, () -> path(adminTokenFile));
        if (adminControl && tokenFile.isEmpty()) {
            throw invalid(ADMIN_CONTROL, "control needs a bearer token: set " + EnvironmentDefaults.howToSet(
                    ADMIN_TOKEN_FILE) + " to a file holding one (e.g. made with: openssl rand -hex 32 > FILE)");
        }
        if (adminControl && adminEndpoint.isEmpty()) {
            throw invalid(ADMIN_CONTROL, "control is served by the admin endpoint: set "
                    + EnvironmentDefaults.howToSet(ADMIN) + " (e.g. http://127.0.0.1:9090)");
        }
        if (!adminControl && tokenFile.isPresent()) {
            throw invalid(ADMIN_TOKEN_FILE, "a token file is set but control is off: set "
                    + EnvironmentDefaults.howToSet(ADMIN_CONTROL) + ", or drop the token file");
        }
        return new AdminControl(adminControl, tokenFile);
    }

    /** An option's text: empty when not given or given blank (as an unset variable in a container may be). */
    private static Optional<String> given(String text) {
        return Optional.ofNullable(text).filter(t -> !t.isBlank());
    }

    /** A repeatable option's texts, each trimmed, blank ones dropped (an empty variable gives none). */
    private static List<String> givenEach(List<String> texts) {
        return texts.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** A file option: empty when not given (or given empty, as an unset variable in a container may be). */
    private static Optional<Path> path(String text) {
        return Optional.ofNullable(text).map(String::trim).filter(t -> !t.isEmpty()).map(Path::of);
    }

    /**
     * Parses (and checks) one setting's value; an error names the flag when it was typed, else the variable
     * when it is set.
     */
    private <T> T value(ServerSetting setting, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw invalid(setting, e.getMessage());
        }
    }

    private IllegalArgumentException invalid(ServerSetting setting, String problem) {
        return new IllegalArgumentException(name(setting) + ": " + problem);
    }

    /** What the user called {@code setting}: its flag if typed, else its variable if set, else its flag. */
    private String name(ServerSetting setting) {
        return EnvironmentDefaults.nameIn(spec.commandLine(), setting);
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
            Level level = value(LOG_LEVEL, () -> Logging.parseLevel(logLevel));
            Logging.configure(verbose ? Level.DEBUG : level, value(LOG_FORMAT, () -> Logging.parseFormat(logFormat)));
            config = config();
            configFile().ifPresent(f -> log.info("configuration file {} (flags and variables win over it; SIGHUP "
                    + "reads it again)", f.path()));
        } catch (IllegalArgumentException e) {
            err.println("echoack-server: " + e.getMessage());
            err.flush();
            return EXIT_CONFIG;
        }
        RunningServer server;
        try {
            server = EchoAckServer.start(config, this::settingName);
        } catch (ServerStartException e) {
            err.println("echoack-server: " + startFailure(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_CONFIG;
        }
        drainNowRequested.thenRun(server::drainNow);
        try (server) {
            serve(server);
        }
        return 0;
    }

    /** What this thread waits for while the server runs. */
    private enum Event { STOP, RELOAD }

    /**
     * Waits for the stop, and meanwhile applies each reload request (several made during one reload make one
     * more), on this thread.
     */
    private void serve(RunningServer server) {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        stopRequested.whenComplete((v, e) -> events.add(Event.STOP));
        server.closeFuture().whenComplete((v, e) -> events.add(Event.STOP));
        reloadRequests.onRequest(() -> events.add(Event.RELOAD));
        try {
            while (events.take() == Event.RELOAD) {
                if (events.remove(Event.RELOAD)) {
                    events.removeIf(Event.RELOAD::equals);
                }
                reload(server);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // then stop, as asked
        } finally {
            reloadRequests.onRequest(() -> { });
        }
    }

    /**
     * Reads the configuration again (the same flags, variables and file path; the file's new content) and has the
     * server apply it; a configuration that does not build is logged, and nothing changes.
     */
    private void reload(RunningServer server) {
        log.info("reload: reading the configuration again ({})",
                configFile().map(f -> f.path().toString()).orElse("no configuration file"));
        ServerCommand fresh;
        ServerConfig next;
        try {
            fresh = parsedAgain();
            next = fresh.config();
        } catch (IllegalArgumentException | ParameterException e) {
            log.error("reload: {}; nothing changed", e.getMessage());
            return;
        }
        // the logging is set up before the server starts, from options ServerConfig does not hold
        if (!Objects.equals(fresh.logLevel, logLevel)) {
            log.warn("reload: not applied: {}: {} -> {} needs a restart", name(LOG_LEVEL), logLevel, fresh.logLevel);
        }
        if (!Objects.equals(fresh.logFormat, logFormat)) {
            log.warn("reload: not applied: {}: {} -> {} needs a restart", name(LOG_FORMAT), logFormat,
                    fresh.logFormat);
        }
        server.reload(next);
    }

    /** The configuration file, when one is given (it was read when the command line was). */
    private Optional<ConfigFile> configFile() {
        return spec.defaultValueProvider() instanceof ServerDefaults d ? d.file(spec) : Optional.empty();
    }

    /** This command's flags parsed again, with the same variables and the configuration file as it is now. */
    private ServerCommand parsedAgain() {
        ServerCommand fresh = new ServerCommand(stopRequested, drainNowRequested, new ReloadRequests());
        IDefaultValueProvider defaults = spec.defaultValueProvider();
        CommandLine cli = new CommandLine(fresh).setDefaultValueProvider(
                defaults instanceof ServerDefaults d ? d.again() : defaults);
        cli.parseArgs(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
        return fresh;
    }

    /**
     * The failure, named after the setting at fault when it was one (the TLS file, transport or provider), with
     * each setting its message names written as {@link #inCliWords} says.
     */
    String startFailure(ServerStartException e) {
        if (e.getCause() instanceof TlsFileException file) {
            ServerSetting setting = switch (file.role()) {
                case CERTIFICATE -> TLS_CERT;
                case KEY -> TLS_KEY;
                case TRUSTED_CA -> TLS_CLIENT_CA;
            };
            return name(setting) + ": " + file.problem();
        }
        String message = e.fieldMessage().map(this::inCliWords).orElse(e.getMessage());
        if (e.getCause() instanceof TransportUnavailableException) {
            return name(TRANSPORT) + ": " + message;
        }
        if (e.getCause() instanceof TlsProviderUnavailableException) {
            return name(TLS_PROVIDER) + ": " + message;
        }
        return message;
    }

    /**
     * A library message with each setting it names by field written as the option that sets it
     * ({@link ServerSetting}): the variable when the value came from one, else the flag. A field no option sets
     * keeps its name.
     */
    String inCliWords(FieldMessage message) {
        return message.render(this::settingName);
    }

    /** What the user called the setting whose library field is {@code field}: see {@link #inCliWords}. */
    private String settingName(String field) {
        return ServerSetting.ofField(field).map(this::name).orElse(field);
    }

    /**
     * Booleans as the variables take them: {@code true} or {@code false} (any case); anything else is an error
     * that says so, rather than a silent false.
     */
    static final class TrueOrFalse implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            String v = value.trim();
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new TypeConversionException("'" + value + "' is not a boolean (expected true or false)");
        }
    }
}
