package io.echoack.client.cli;

import io.echoack.client.bench.BenchConfig;
import io.echoack.client.bench.PayloadKind;
import io.echoack.client.net.ClientOptions;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every option of the {@code echoack} commands: its flag, its environment variable (few have one) and its
 * default, written here once. An option of the same name means the same in every command that has it.
 * picocli takes its defaults from this table ({@link EnvironmentDefaults}), the help shows the variable and the
 * default from it ({@link SettingsHelp}), and an error about a value names the flag when the user typed the
 * flag and the variable when the value came from the variable.
 */
enum ClientSetting {
    TIMEOUT("--timeout", "ECHOACK_TIMEOUT", Durations.format(ClientOptions.DEFAULT_TIMEOUT)),
    RETRIES("--retries", "ECHOACK_RETRIES", String.valueOf(ClientOptions.DEFAULT_RETRIES)),
    MODE("--mode", null, null, "ack, unless the endpoint says ?mode="),
    FRAMING("--framing", null, null, "line, unless the endpoint says ?framing="),
    TRANSPORT("--transport", "ECHOACK_TRANSPORT", Transport.AUTO.id()),
    MAX_FRAME("--max-frame", null, String.valueOf(ClientOptions.DEFAULT_MAX_FRAME_LENGTH)),
    TLS_CA("--tls-ca", "ECHOACK_TLS_CA", null, "the JDK's trusted CAs"),
    /** Not ECHOACK_TLS_CERT, the server's: a health check in the server's container must not present it. */
    TLS_CERT("--tls-cert", "ECHOACK_TLS_CLIENT_CERT", null, "none"),
    TLS_KEY("--tls-key", "ECHOACK_TLS_CLIENT_KEY", null, "none"),
    /** No variable, on purpose: turning verification off is always visible on the command line. */
    INSECURE("--insecure", null, null, null),
    TLS_SERVER_NAME("--tls-server-name", null, null, "the endpoint's host"),
    TLS_PROVIDER("--tls-provider", "ECHOACK_TLS_PROVIDER", TlsProvider.AUTO.id()),
    /** {@code check} and {@code bench}; each says its own default. */
    EXPECT("--expect", null, null, null),
    VERBOSE("--verbose", null, null, null),
    CONNECTIONS("--connections", null, String.valueOf(BenchConfig.DEFAULT_CONNECTIONS)),
    SIZE("--size", null, String.valueOf(BenchConfig.DEFAULT_SIZE)),
    PAYLOAD("--payload", null, PayloadKind.PATTERN.id()),
    PIPELINE("--pipeline", null, String.valueOf(BenchConfig.DEFAULT_PIPELINE)),
    RATE("--rate", null, null, "closed loop: each reply releases the next message"),
    DURATION("--duration", null, null, Durations.format(BenchConfig.DEFAULT_DURATION) + ", unless --count"),
    COUNT("--count", null, null, null),
    WARMUP("--warmup", null, Durations.format(BenchConfig.DEFAULT_WARMUP)),
    CONNECT_PER_MESSAGE("--connect-per-message", null, null, null),
    THREADS("--threads", null, null, "one per core, at most one per connection"),
    JSON("--json", null, null, null),
    QUIET("--quiet", null, null, null);

    private final String flag;
    private final String variable;
    private final String defaultValue;
    private final String shownDefault;

    ClientSetting(String flag, String variable, String defaultValue) {
        this(flag, variable, defaultValue, defaultValue);
    }

    ClientSetting(String flag, String variable, String defaultValue, String shownDefault) {
        this.flag = flag;
        this.variable = variable;
        this.defaultValue = defaultValue;
        this.shownDefault = shownDefault;
    }

    /** The long flag, as picocli's {@code longestName()} of the option. */
    String flag() {
        return flag;
    }

    /** The environment variable, if the option has one. */
    Optional<String> variable() {
        return Optional.ofNullable(variable);
    }

    /** The value picocli gets when neither the flag nor the variable is given; null for none. */
    String defaultValue() {
        return defaultValue;
    }

    /** The default as the help says it; null when the option's description says it, or it has none. */
    String shownDefault() {
        return shownDefault;
    }

    /** The row of the option named {@code flag}, if it has one. */
    static Optional<ClientSetting> byFlag(String flag) {
        return Arrays.stream(values()).filter(s -> s.flag.equals(flag)).findFirst();
    }
}
