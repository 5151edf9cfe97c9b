package io.echoack.server.cli;

import io.echoack.cli.Setting;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.connectionlog.ConnectionLogFormat;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.tls.TlsSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every setting of {@code echoack-server}: its flag, its environment variable and its default, written here
 * once. picocli takes its defaults from this table ({@link ServerDefaults}), the help shows the variable and the
 * default from it ({@link io.echoack.cli.SettingsHelp}), and every error about a value names the flag when the
 * user typed the flag and the variable when the value came from the variable. It is also where the server
 * library's field names (which its messages and startup log use) meet the flags:
 * {@link ServerCommand#inCliWords}.
 */
enum ServerSetting implements Setting {
    /** Not a key of the file it names. */
    CONFIG(null, new Row("--config", "ECHOACK_CONFIG", null, "none")),
    LISTEN("listen", new Row("--listen", "ECHOACK_LISTEN",
            ServerConfig.DEFAULT_LISTEN.stream().map(Endpoint::address).collect(Collectors.joining(",")),
            ServerConfig.DEFAULT_LISTEN.stream().map(Endpoint::address).collect(Collectors.joining(", ")))),
    MODE("mode", new Row("--mode", "ECHOACK_MODE", ReplyMode.ACK.id())),
    FRAMING("framing", new Row("--framing", "ECHOACK_FRAMING", null,
            "line in ack and info mode, raw in echo mode")),
    ACK_TEXT("ackText", new Row("--ack-text", "ECHOACK_ACK_TEXT", ServerConfig.DEFAULT_ACK_TEXT)),
    DATAGRAM_ACK_TEXT("datagramAckText", new Row("--datagram-ack-text", "ECHOACK_DATAGRAM_ACK_TEXT",
            ServerConfig.DEFAULT_DATAGRAM_ACK_TEXT)),
    IDENTITY("identity", new Row("--identity", "ECHOACK_IDENTITY", null, "none")),
    MAX_FRAME("maxFrameLength", new Row("--max-frame", "ECHOACK_MAX_FRAME",
            String.valueOf(ServerConfig.DEFAULT_MAX_FRAME_LENGTH))),
    TRANSPORT("transport", new Row("--transport", "ECHOACK_TRANSPORT", Transport.AUTO.id())),
    THREADS("threads", new Row("--threads", "ECHOACK_THREADS", "0", "0 (one per core)")),
    PRINT_MESSAGES("printMessages", new Row("--print-messages", "ECHOACK_PRINT_MESSAGES", "false")),
    CONNECTION_LOG("connectionLog", new Row("--connection-log", "ECHOACK_CONNECTION_LOG",
            ConnectionLogFormat.OFF.id())),
    FAULT_SEED("faultSeed", new Row("--fault-seed", "ECHOACK_FAULT_SEED", null, "random per start")),
    ADMIN("admin", new Row("--admin", "ECHOACK_ADMIN", null, "off")),
    ADMIN_CONTROL("adminControl", new Row("--admin-control", "ECHOACK_ADMIN_CONTROL", "false")),
    ADMIN_TOKEN_FILE("tokenFile", new Row("--admin-token-file", "ECHOACK_ADMIN_TOKEN_FILE", null, "none")),
    DRAIN_TIMEOUT("drainTimeout", new Row("--drain-timeout", "ECHOACK_DRAIN_TIMEOUT",
            Durations.format(ServerConfig.DEFAULT_DRAIN_TIMEOUT))),
    DRAIN_DELAY("drainDelay", new Row("--drain-delay", "ECHOACK_DRAIN_DELAY", Durations.format(Duration.ZERO))),
    START_DELAY("startDelay", new Row("--start-delay", "ECHOACK_START_DELAY", Durations.format(Duration.ZERO))),
    REUSE_PORT("reusePort", new Row("--reuse-port", "ECHOACK_REUSE_PORT", "false")),
    MAX_CONNECTIONS("maxConnections", new Row("--max-connections", "ECHOACK_MAX_CONNECTIONS",
            String.valueOf(ConnectionLimits.DEFAULT_MAX_CONNECTIONS))),
    MAX_CONNECTIONS_PER_IP("maxConnectionsPerIp", new Row("--max-connections-per-ip",
            "ECHOACK_MAX_CONNECTIONS_PER_IP", String.valueOf(ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_IP))),
    IDLE_TIMEOUT("idleTimeout", new Row("--idle-timeout", "ECHOACK_IDLE_TIMEOUT",
            Durations.format(Timeouts.DEFAULT_IDLE_TIMEOUT))),
    FRAME_TIMEOUT("frameTimeout", new Row("--frame-timeout", "ECHOACK_FRAME_TIMEOUT",
            Durations.format(Timeouts.DEFAULT_FRAME_TIMEOUT))),
    ALLOW("allow", new Row("--allow", "ECHOACK_ALLOW", null, "everyone")),
    TRUSTED_PROXY("trustedProxies", new Row("--trusted-proxy", "ECHOACK_TRUSTED_PROXIES", null, "none")),
    PROXY_HEADER_TIMEOUT("headerTimeout", new Row("--proxy-header-timeout", "ECHOACK_PROXY_HEADER_TIMEOUT",
            Durations.format(ProxySettings.DEFAULT_HEADER_TIMEOUT))),
    UDP_GUARD("udpGuard", new Row("--udp-guard", "ECHOACK_UDP_GUARD", "true")),
    UDP_RATE("packetsPerSecond", new Row("--udp-rate", "ECHOACK_UDP_RATE",
            String.valueOf(ReflectionGuardSettings.DEFAULT_PACKETS_PER_SECOND))),
    UDP_BURST("burstPackets", new Row("--udp-burst", "ECHOACK_UDP_BURST",
            String.valueOf(ReflectionGuardSettings.DEFAULT_BURST_PACKETS))),
    UDP_ALLOW_PORTS("allowedPrivilegedPorts", new Row("--udp-allow-port", "ECHOACK_UDP_ALLOW_PORTS", null, "none")),
    SOCKET_MODE("socketMode", new Row("--socket-mode", "ECHOACK_SOCKET_MODE", "0660")),
    SOCKET_GROUP("socketGroup", new Row("--socket-group", "ECHOACK_SOCKET_GROUP", null, "the server's own group")),
    TLS_CERT("certificate", new Row("--tls-cert", "ECHOACK_TLS_CERT", null, "none")),
    TLS_KEY("key", new Row("--tls-key", "ECHOACK_TLS_KEY", null, "none")),
    TLS_KEY_PASSWORD("keyPassword", new Row("--tls-key-password", "ECHOACK_TLS_KEY_PASSWORD", null, "none")),
    TLS_CLIENT_CA("clientCa", new Row("--tls-client-ca", "ECHOACK_TLS_CLIENT_CA", null,
            "none: no client certificates")),
    TLS_PROVIDER("provider", new Row("--tls-provider", "ECHOACK_TLS_PROVIDER", TlsProvider.AUTO.id())),
    TLS_HANDSHAKE_TIMEOUT("handshakeTimeout", new Row("--tls-handshake-timeout", "ECHOACK_TLS_HANDSHAKE_TIMEOUT",
            Durations.format(TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT))),
    LOG_LEVEL(null, new Row("--log-level", "ECHOACK_LOG_LEVEL", "info")),
    LOG_FORMAT(null, new Row("--log-format", "ECHOACK_LOG_FORMAT", "text")),
    /** No variable: debug logging is for a person at a terminal, who types it. */
    VERBOSE(null, new Row("--verbose", null, "false", null));

    private final String field;
    private final Row row;

    /**
     * @param field the name of the library's field this option sets (in {@link ServerConfig} or a record it
     *              holds: {@link ConnectionLimits}, {@link Timeouts}, {@link ReflectionGuardSettings},
     *              {@link TlsSettings}, {@link io.echoack.server.rollout.RolloutDelays},
     *              {@link io.echoack.server.config.AdminControl}); null for an option of the command line only
     */
    ServerSetting(String field, Row row) {
        this.field = field;
        this.row = row;
    }

    /**
     * The option that sets the library field {@code field}, which library messages name
     * ({@link io.echoack.common.text.FieldMessage}); empty for a field no option sets.
     */
    static Optional<ServerSetting> ofField(String field) {
        return Arrays.stream(values()).filter(s -> field.equals(s.field)).findFirst();
    }

    /**
     * This setting's key in the configuration file ({@code --config}): the flag without its dashes, except
     * {@code listeners} for {@code --listen} (a list of endpoints, each with its own keys); none for
     * {@code --config} itself and for {@code --verbose} (for a person at a terminal, as it has no variable).
     */
    Optional<String> fileKey() {
        return switch (this) {
            case CONFIG, VERBOSE -> Optional.empty();
            case LISTEN -> Optional.of("listeners");
            default -> Optional.of(flag().substring(2));
        };
    }

    /** The setting whose file key is {@code key}. */
    static Optional<ServerSetting> ofFileKey(String key) {
        return Arrays.stream(values()).filter(s -> s.fileKey().filter(key::equals).isPresent()).findFirst();
    }

    /** The library field this option sets, or null for an option of the command line only. */
    String field() {
        return field;
    }

    @Override
    public Row row() {
        return row;
    }
}
