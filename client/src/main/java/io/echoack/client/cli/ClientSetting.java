package io.echoack.client.cli;

import io.echoack.cli.Setting;
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
 * picocli takes its defaults from this table ({@link ClientDefaults}), the help shows the variable and the
 * default from it ({@link io.echoack.cli.SettingsHelp}), and an error about a value names the flag when the user
 * typed the flag and the variable when the value came from the variable. It is also where the client library's
 * field names (which its messages use) meet the flags: {@link Failures#inCliWords}.
 */
enum ClientSetting implements Setting {
    TIMEOUT("timeout", new Row("--timeout", "ECHOACK_TIMEOUT", Durations.format(ClientOptions.DEFAULT_TIMEOUT))),
    RETRIES("retries", new Row("--retries", "ECHOACK_RETRIES", String.valueOf(ClientOptions.DEFAULT_RETRIES))),
    MODE("mode", new Row("--mode", null, null, "ack, unless the endpoint says ?mode=")),
    FRAMING("framing", new Row("--framing", null, null, "line, unless the endpoint says ?framing=")),
    TRANSPORT("transport", new Row("--transport", "ECHOACK_TRANSPORT", Transport.AUTO.id())),
    MAX_FRAME("maxFrameLength", new Row("--max-frame", null, String.valueOf(ClientOptions.DEFAULT_MAX_FRAME_LENGTH))),
    TLS_CA("trustedCertificates", new Row("--tls-ca", "ECHOACK_TLS_CA", null, "the JDK's trusted CAs")),
    /** Not ECHOACK_TLS_CERT, the server's: a health check in the server's container must not present it. */
    TLS_CERT("certificate", new Row("--tls-cert", "ECHOACK_TLS_CLIENT_CERT", null, "none")),
    TLS_KEY("key", new Row("--tls-key", "ECHOACK_TLS_CLIENT_KEY", null, "none")),
    /** No variable, on purpose: turning verification off is always visible on the command line. */
    INSECURE("insecure", new Row("--insecure", null, null, null)),
    TLS_SERVER_NAME("serverName", new Row("--tls-server-name", null, null, "the endpoint's host")),
    TLS_PROVIDER("provider", new Row("--tls-provider", "ECHOACK_TLS_PROVIDER", TlsProvider.AUTO.id())),
    /** The PROXY header options have no variables, as {@code --mode}: a header is what one test asks for. */
    PROXY_HEADER("proxyHeader", new Row("--proxy-header", null, null, "none")),
    PROXY_SOURCE("source", new Row("--proxy-source", null, null, "the connection's own client address and port")),
    PROXY_DESTINATION("destination", new Row("--proxy-destination", null, null,
            "the connection's own server address and port")),
    PROXY_TLV("tlvs", new Row("--proxy-tlv", null, null, "none")),
    /** {@code check} and {@code bench}; each says its own default. */
    EXPECT("expect", new Row("--expect", null, null, null)),
    VERBOSE(null, new Row("--verbose", null, null, null)),
    /** {@code check} only: its second probe, after this long idle. */
    IDLE(null, new Row("--idle", null, null, "none (one probe)")),
    KEEPALIVE("keepalive", new Row("--keepalive", null, null, "off")),
    CONNECTIONS("connections", new Row("--connections", null, String.valueOf(BenchConfig.DEFAULT_CONNECTIONS))),
    SIZE("size", new Row("--size", null, String.valueOf(BenchConfig.DEFAULT_SIZE))),
    PAYLOAD("payload", new Row("--payload", null, PayloadKind.PATTERN.id())),
    PIPELINE("pipeline", new Row("--pipeline", null, String.valueOf(BenchConfig.DEFAULT_PIPELINE))),
    RATE("rate", new Row("--rate", null, null, "closed loop: each reply releases the next message")),
    DURATION("duration", new Row("--duration", null, null,
            Durations.format(BenchConfig.DEFAULT_DURATION) + ", unless --count")),
    COUNT("count", new Row("--count", null, null, null)),
    WARMUP("warmup", new Row("--warmup", null, Durations.format(BenchConfig.DEFAULT_WARMUP))),
    CONNECT_PER_MESSAGE("connectPerMessage", new Row("--connect-per-message", null, null, null)),
    REUSE("reuse", new Row("--reuse", null, null, "none: each connection lasts the whole run")),
    CONNECT_RATE("connectRate", new Row("--connect-rate", null, null, "no cap")),
    START_AT("startAt", new Row("--start-at", null, null, "at once, when connected")),
    THREADS("threads", new Row("--threads", null, null, "one per core, at most one per connection")),
    COUNT_BY("countBy", new Row("--count-by", null, null, "none")),
    JSON(null, new Row("--json", null, null, null)),
    QUIET(null, new Row("--quiet", null, null, null)),
    LABEL("label", new Row("--label", null, null, "none: merge shows the host name")),
    /** {@code merge}'s own. */
    FORCE(null, new Row("--force", null, null, null)),
    PNG(null, new Row("--png", null, null, null));

    private final String field;
    private final Row row;

    /**
     * @param field the name of the library's field this option sets (ClientOptions, TlsOptions, ProxyHeader,
     *              BenchConfig)
     */
    ClientSetting(String field, Row row) {
        this.field = field;
        this.row = row;
    }

    /**
     * The option that sets the library field {@code field}, which library messages name
     * ({@link io.echoack.common.text.FieldMessage}); empty for a field no option sets.
     */
    static Optional<ClientSetting> ofField(String field) {
        return Arrays.stream(values()).filter(s -> field.equals(s.field)).findFirst();
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
