package io.echoack.client.cli;

import io.echoack.cli.Setting;
import io.echoack.client.bench.BenchConfig;
import io.echoack.client.bench.PayloadKind;
import io.echoack.client.net.ClientOptions;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;

/**
 * Every option of the {@code echoack} commands: its flag, its environment variable (few have one) and its
 * default, written here once. An option of the same name means the same in every command that has it.
 * picocli takes its defaults from this table ({@link ClientDefaults}), the help shows the variable and the
 * default from it ({@link io.echoack.cli.SettingsHelp}), and an error about a value names the flag when the user
 * typed the flag and the variable when the value came from the variable.
 */
enum ClientSetting implements Setting {
    TIMEOUT(new Row("--timeout", "ECHOACK_TIMEOUT", Durations.format(ClientOptions.DEFAULT_TIMEOUT))),
    RETRIES(new Row("--retries", "ECHOACK_RETRIES", String.valueOf(ClientOptions.DEFAULT_RETRIES))),
    MODE(new Row("--mode", null, null, "ack, unless the endpoint says ?mode=")),
    FRAMING(new Row("--framing", null, null, "line, unless the endpoint says ?framing=")),
    TRANSPORT(new Row("--transport", "ECHOACK_TRANSPORT", Transport.AUTO.id())),
    MAX_FRAME(new Row("--max-frame", null, String.valueOf(ClientOptions.DEFAULT_MAX_FRAME_LENGTH))),
    TLS_CA(new Row("--tls-ca", "ECHOACK_TLS_CA", null, "the JDK's trusted CAs")),
    /** Not ECHOACK_TLS_CERT, the server's: a health check in the server's container must not present it. */
    TLS_CERT(new Row("--tls-cert", "ECHOACK_TLS_CLIENT_CERT", null, "none")),
    TLS_KEY(new Row("--tls-key", "ECHOACK_TLS_CLIENT_KEY", null, "none")),
    /** No variable, on purpose: turning verification off is always visible on the command line. */
    INSECURE(new Row("--insecure", null, null, null)),
    TLS_SERVER_NAME(new Row("--tls-server-name", null, null, "the endpoint's host")),
    TLS_PROVIDER(new Row("--tls-provider", "ECHOACK_TLS_PROVIDER", TlsProvider.AUTO.id())),
    /** {@code check} and {@code bench}; each says its own default. */
    EXPECT(new Row("--expect", null, null, null)),
    VERBOSE(new Row("--verbose", null, null, null)),
    CONNECTIONS(new Row("--connections", null, String.valueOf(BenchConfig.DEFAULT_CONNECTIONS))),
    SIZE(new Row("--size", null, String.valueOf(BenchConfig.DEFAULT_SIZE))),
    PAYLOAD(new Row("--payload", null, PayloadKind.PATTERN.id())),
    PIPELINE(new Row("--pipeline", null, String.valueOf(BenchConfig.DEFAULT_PIPELINE))),
    RATE(new Row("--rate", null, null, "closed loop: each reply releases the next message")),
    DURATION(new Row("--duration", null, null, Durations.format(BenchConfig.DEFAULT_DURATION) + ", unless --count")),
    COUNT(new Row("--count", null, null, null)),
    WARMUP(new Row("--warmup", null, Durations.format(BenchConfig.DEFAULT_WARMUP))),
    CONNECT_PER_MESSAGE(new Row("--connect-per-message", null, null, null)),
    THREADS(new Row("--threads", null, null, "one per core, at most one per connection")),
    JSON(new Row("--json", null, null, null)),
    QUIET(new Row("--quiet", null, null, null));

    private final Row row;

    ClientSetting(Row row) {
        this.row = row;
    }

    @Override
    public Row row() {
        return row;
    }
}
