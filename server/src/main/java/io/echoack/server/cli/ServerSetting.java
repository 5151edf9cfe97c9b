package io.echoack.server.cli;

import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.tls.TlsSettings;
import io.echoack.server.udp.ReflectionGuardSettings;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every setting of {@code echoack-server}: its flag, its environment variable and its default, written here
 * once. picocli takes its defaults from this table ({@link EnvironmentDefaults}), the help shows the variable
 * and the default from it ({@link SettingsHelp}), and every error about a value names the flag when the user
 * typed the flag and the variable when the value came from the variable.
 */
enum ServerSetting {
    LISTEN("--listen", "ECHOACK_LISTEN",
            ServerConfig.DEFAULT_LISTEN.stream().map(Endpoint::address).collect(Collectors.joining(",")),
            ServerConfig.DEFAULT_LISTEN.stream().map(Endpoint::address).collect(Collectors.joining(", "))),
    MODE("--mode", "ECHOACK_MODE", ReplyMode.ACK.id()),
    FRAMING("--framing", "ECHOACK_FRAMING", null, "line in ack mode, raw in echo mode"),
    ACK_TEXT("--ack-text", "ECHOACK_ACK_TEXT", ServerConfig.DEFAULT_ACK_TEXT),
    DATAGRAM_ACK_TEXT("--datagram-ack-text", "ECHOACK_DATAGRAM_ACK_TEXT", ServerConfig.DEFAULT_DATAGRAM_ACK_TEXT),
    MAX_FRAME("--max-frame", "ECHOACK_MAX_FRAME", String.valueOf(ServerConfig.DEFAULT_MAX_FRAME_LENGTH)),
    TRANSPORT("--transport", "ECHOACK_TRANSPORT", Transport.AUTO.id()),
    THREADS("--threads", "ECHOACK_THREADS", "0", "0 (one per core)"),
    PRINT_MESSAGES("--print-messages", "ECHOACK_PRINT_MESSAGES", "false"),
    ADMIN("--admin", "ECHOACK_ADMIN", null, "off"),
    DRAIN_TIMEOUT("--drain-timeout", "ECHOACK_DRAIN_TIMEOUT", Durations.format(ServerConfig.DEFAULT_DRAIN_TIMEOUT)),
    REUSE_PORT("--reuse-port", "ECHOACK_REUSE_PORT", "false"),
    MAX_CONNECTIONS("--max-connections", "ECHOACK_MAX_CONNECTIONS",
            String.valueOf(ConnectionLimits.DEFAULT_MAX_CONNECTIONS)),
    MAX_CONNECTIONS_PER_IP("--max-connections-per-ip", "ECHOACK_MAX_CONNECTIONS_PER_IP",
            String.valueOf(ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_IP)),
    IDLE_TIMEOUT("--idle-timeout", "ECHOACK_IDLE_TIMEOUT", Durations.format(Timeouts.DEFAULT_IDLE_TIMEOUT)),
    FRAME_TIMEOUT("--frame-timeout", "ECHOACK_FRAME_TIMEOUT", Durations.format(Timeouts.DEFAULT_FRAME_TIMEOUT)),
    ALLOW("--allow", "ECHOACK_ALLOW", null, "everyone"),
    UDP_GUARD("--udp-guard", "ECHOACK_UDP_GUARD", "true"),
    UDP_RATE("--udp-rate", "ECHOACK_UDP_RATE", String.valueOf(ReflectionGuardSettings.DEFAULT_PACKETS_PER_SECOND)),
    UDP_BURST("--udp-burst", "ECHOACK_UDP_BURST", String.valueOf(ReflectionGuardSettings.DEFAULT_BURST_PACKETS)),
    UDP_ALLOW_PORTS("--udp-allow-port", "ECHOACK_UDP_ALLOW_PORTS", null, "none"),
    SOCKET_MODE("--socket-mode", "ECHOACK_SOCKET_MODE", "0660"),
    SOCKET_GROUP("--socket-group", "ECHOACK_SOCKET_GROUP", null, "the server's own group"),
    TLS_CERT("--tls-cert", "ECHOACK_TLS_CERT", null, "none"),
    TLS_KEY("--tls-key", "ECHOACK_TLS_KEY", null, "none"),
    TLS_KEY_PASSWORD("--tls-key-password", "ECHOACK_TLS_KEY_PASSWORD", null, "none"),
    TLS_CLIENT_CA("--tls-client-ca", "ECHOACK_TLS_CLIENT_CA", null, "none: no client certificates"),
    TLS_PROVIDER("--tls-provider", "ECHOACK_TLS_PROVIDER", TlsProvider.AUTO.id()),
    TLS_HANDSHAKE_TIMEOUT("--tls-handshake-timeout", "ECHOACK_TLS_HANDSHAKE_TIMEOUT",
            Durations.format(TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT)),
    LOG_LEVEL("--log-level", "ECHOACK_LOG_LEVEL", "info"),
    LOG_FORMAT("--log-format", "ECHOACK_LOG_FORMAT", "text"),
    /** No variable: debug logging is for a person at a terminal, who types it. */
    VERBOSE("--verbose", null, "false", null);

    private final String flag;
    private final String variable;
    private final String defaultValue;
    private final String shownDefault;

    ServerSetting(String flag, String variable, String defaultValue) {
        this(flag, variable, defaultValue, defaultValue);
    }

    ServerSetting(String flag, String variable, String defaultValue, String shownDefault) {
        this.flag = flag;
        this.variable = variable;
        this.defaultValue = defaultValue;
        this.shownDefault = shownDefault;
    }

    /** The long flag, as picocli's {@code longestName()} of the option. */
    String flag() {
        return flag;
    }

    /** The environment variable, if the setting has one. */
    Optional<String> variable() {
        return Optional.ofNullable(variable);
    }

    /** The value picocli gets when neither the flag nor the variable is given; null for none. */
    String defaultValue() {
        return defaultValue;
    }

    /** The default as the help and README say it. */
    String shownDefault() {
        return shownDefault;
    }

    /** The row of the option named {@code flag}, if it has one. */
    static Optional<ServerSetting> byFlag(String flag) {
        return Arrays.stream(values()).filter(s -> s.flag.equals(flag)).findFirst();
    }
}
