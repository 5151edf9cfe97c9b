package io.echoack.client.bench;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.client.net.AckTexts;
import io.echoack.client.net.ClientOptions;
import io.echoack.client.net.ProxyHeader;
import io.echoack.client.net.TlsOptions;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Datagrams;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.info.InfoLine;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one bench run needs, resolved and validated once. Build it with {@link #builder(Endpoint)},
 * which applies the endpoint's query overrides and the defaults; error messages name the field at fault
 * ({@link InvalidFieldException}), which the command line turns into its option.
 *
 * @param endpoint          where to send
 * @param transport         the requested Netty transport ({@link Transport#AUTO} picks the best one)
 * @param threads           event-loop threads (at most one per connection is used)
 * @param mode              the reply mode the server is expected to use: the endpoint's, else the one given,
 *                          else ack
 * @param framing           stream framing (the endpoint's, else the one given, else line); empty on datagrams
 * @param expect            what every reply is checked against
 * @param connections       connections (streams), flows (datagrams), or concurrent workers
 *                          (connect-per-message)
 * @param size              payload bytes per message, framing excluded
 * @param payload           pattern or random payload
 * @param pipeline          messages in flight per connection
 * @param rate              messages per second over all connections (open loop), or 0 for a closed loop
 * @param duration          how long the measured phase sends; null when {@code count} is given
 * @param count             how many measured messages to send; 0 when {@code duration} is given
 * @param warmup            how long to run the same load before measuring (0 for none)
 * @param timeout           how long a reply (and a connect) may take before it counts as a timeout or loss
 * @param connectPerMessage open a new connection for every message (streams only)
 * @param maxFrameLength    the longest reply accepted on streams
 * @param tls               trust, client certificate and server-name checks for {@code tls://} endpoints
 * @param proxyHeader       a PROXY protocol header each connection sends first (streams only); empty for none
 * @param countBy           the key of identity replies (info mode) whose values the correct replies are counted
 *                          by, e.g. {@code host}; null for no counting
 * @param reuse             connection churn: how many messages each persistent stream connection carries before it
 *                          is closed and replaced; null for connections that last the whole run
 * @param connectRate       the most new connections per second, over the run and every connection; 0 for no cap
 * @param startAt           the wall-clock time to begin the warm-up at, once the connections are set up; null to
 *                          begin as soon as they are
 * @param label             a short name for this client in merged results ({@code echoack merge}); null for none
 */
public record BenchConfig(Endpoint endpoint, Transport transport, int threads, ReplyMode mode,
                          Optional<Framing> framing, Expectation expect, int connections, int size,
                          PayloadKind payload, int pipeline, double rate, Duration duration, long count,
                          Duration warmup, Duration timeout, boolean connectPerMessage, int maxFrameLength,
                          TlsOptions tls, Optional<ProxyHeader> proxyHeader, String countBy, Reuse reuse,
                          double connectRate, Instant startAt, String label) {

    public static final int DEFAULT_CONNECTIONS = 1;
    public static final int DEFAULT_SIZE = 64;
    public static final int DEFAULT_PIPELINE = 1;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(1);
    public static final int MAX_CONNECTIONS = 100_000;
    public static final int MAX_PIPELINE = 65_536;
    /** The longest {@code label}, in characters: a name for a table's column, not a description. */
    public static final int MAX_LABEL_LENGTH = 100;

    public BenchConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(proxyHeader, "proxyHeader");
        proxyHeader.ifPresent(header -> header.requireUsableOn(endpoint));
        boolean datagram = endpoint.kind().isDatagram();
        if (datagram != framing.isEmpty()) {
            throw new IllegalArgumentException("framing must be given for stream endpoints only");
        }
        check(threads >= 1 && threads <= 1024, field("threads"), " must be 1..1024, was " + threads);
        check(connections >= 1 && connections <= MAX_CONNECTIONS,
                field("connections"), " must be 1.." + MAX_CONNECTIONS + ", was " + connections);
        check(pipeline >= 1 && pipeline <= MAX_PIPELINE,
                field("pipeline"), " must be 1.." + MAX_PIPELINE + ", was " + pipeline);
        check(maxFrameLength > 0, field("maxFrameLength"), " must be > 0, was " + maxFrameLength);
        check(size >= 1, field("size"), " must be >= 1, was " + size);
        if (datagram) {
            int max = endpoint.kind().isUnixDomain() ? maxFrameLength
                    : Math.min(maxFrameLength, Datagrams.MAX_PAYLOAD_BYTES);
            check(size <= max, field("size"), " " + size + " does not fit in one datagram here (max " + max + ")");
            check(expect.kind() != Expectation.Kind.ECHO || size >= Payload.SEQUENCE_BYTES, field("size"),
                    " must be >= " + Payload.SEQUENCE_BYTES + " on datagrams in echo mode: each one carries its "
                    + "sequence number");
        } else {
            check(size <= maxFrameLength, field("size"), " " + size + " exceeds ", field("maxFrameLength"),
                    " " + maxFrameLength);
        }
        check(Double.isFinite(rate) && rate >= 0 && rate <= 1e9, field("rate"),
                " must be > 0 and at most 1e9 messages/s");
        check((duration == null) != (count == 0), "give either ", field("duration"), " or ", field("count"),
                ", not both");
        check(duration == null || (!duration.isNegative() && !duration.isZero()), field("duration"), " must be > 0");
        check(count >= 0, field("count"), " must be >= 1, was " + count);
        check(rate == 0 || connections * 1e9 / rate >= 1, field("rate"), " is more than 1e9 messages/s per connection");
        check(!warmup.isNegative(), field("warmup"), " must be >= 0");
        check(!timeout.isNegative() && !timeout.isZero(), field("timeout"), " must be > 0");
        if (connectPerMessage) {
            check(!datagram, field("connectPerMessage"), " needs a stream endpoint (tcp://, tls:// or unix://); "
                    + "datagram sockets have no connection to open per message");
            check(pipeline == 1, field("connectPerMessage"), " sends one message per connection: ", field("pipeline"),
                    " must be 1");
        }
        if (reuse != null) {
            check(!datagram, field("reuse"), " needs a stream endpoint (tcp://, tls:// or unix://): "
                    + endpoint + " has no connection to reuse");
            check(!connectPerMessage, field("reuse"), " and ", field("connectPerMessage"), " exclude each other (",
                    field("connectPerMessage"), " is ", field("reuse"), " 1:1)");
        }
        check(Double.isFinite(connectRate) && connectRate >= 0 && connectRate <= 1e9, field("connectRate"),
                " must be > 0 and at most 1e9 connections/s, was " + connectRate);
        check(connectRate == 0 || !datagram, field("connectRate"), " needs a stream endpoint (tcp://, tls:// or "
                + "unix://): " + endpoint + " opens no connections");
        if (countBy != null) {
            check(expect.kind() == Expectation.Kind.INFO, field("countBy"), " counts identity replies: it needs "
                    + "info mode (", field("mode"), " info, or ?mode=info on the endpoint)");
            check(InfoLine.isKey(countBy), field("countBy"), " '" + countBy + "' is not a key of identity replies "
                    + "(letters, digits, '_', '.', '-'; e.g. host, pod)");
        }
        if (label != null) {
            check(!label.isBlank() && label.length() <= MAX_LABEL_LENGTH
                    && label.codePoints().noneMatch(Character::isISOControl), field("label"),
                    " must be 1.." + MAX_LABEL_LENGTH + " characters without control characters, was '"
                    + label.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        if (framing.orElse(null) == Framing.LINE && expect.textBytes() != null) {
            for (byte b : expect.textBytes()) {
                check(b != '\n' && b != '\r', field("expect"), " TEXT cannot contain a line break with line framing");
            }
        }
    }

    /** @param message the parts of a {@link FieldMessage} */
    private static void check(boolean condition, Object... message) {
        if (!condition) {
            throw new InvalidFieldException(FieldMessage.of(message));
        }
    }

    /** A builder for a run against {@code endpoint}, with the defaults. */
    public static Builder builder(Endpoint endpoint) {
        return new Builder(endpoint);
    }

    /** True for an open loop (a {@code rate} is set), false for a closed loop. */
    public boolean openLoop() {
        return rate > 0;
    }

    /**
     * With raw framing, where a reply ends: as many bytes as the message in echo mode, else the expected
     * ack text's length (the default ack's when any reply counts); 0 for identity replies, which end at a
     * newline instead ({@link #replyFraming()}).
     */
    int rawReplyLength() {
        return switch (expect.kind()) {
            case ECHO -> size;
            case INFO -> 0;
            case ACK, TEXT -> expect.textBytes().length;
            case ANY -> mode == ReplyMode.ECHO ? size
                    : AckTexts.defaultFor(endpoint.kind()).getBytes(StandardCharsets.UTF_8).length;
        };
    }

    /**
     * How replies are cut on this stream: as the requests are framed, except that identity replies on raw framing
     * are lines (an echoack server ends each with a newline).
     */
    Framing replyFraming() {
        Framing requests = framing.orElseThrow();
        return requests == Framing.RAW && expect.kind() == Expectation.Kind.INFO ? Framing.LINE : requests;
    }

    /** Builds a {@link BenchConfig}; every setter has the default documented on it. */
    public static final class Builder {

        private final Endpoint endpoint;
        private Transport transport = Transport.AUTO;
        private int threads = Runtime.getRuntime().availableProcessors();
        private ReplyMode mode;
        private Framing framing;
        private String expect;
        private int connections = DEFAULT_CONNECTIONS;
        private int size = DEFAULT_SIZE;
        private PayloadKind payload = PayloadKind.PATTERN;
        private int pipeline = DEFAULT_PIPELINE;
        private double rate;
        private Duration duration;
        private Long count;
        private Duration warmup = DEFAULT_WARMUP;
        private Duration timeout = ClientOptions.DEFAULT_TIMEOUT;
        private boolean connectPerMessage;
        private int maxFrameLength = ClientOptions.DEFAULT_MAX_FRAME_LENGTH;
        private TlsOptions tls = TlsOptions.defaults();
        private ProxyHeader proxyHeader;
        private String countBy;
        private Reuse reuse;
        private double connectRate;
        private Instant startAt;
        private String label;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** Netty transport; auto by default. */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** Event-loop threads; one per core by default. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The server's reply mode, unless the endpoint says ({@code ?mode=}); null = not given (ack). */
        public Builder mode(ReplyMode mode) {
            this.mode = mode;
            return this;
        }

        /** Stream framing, unless the endpoint says ({@code ?framing=}); null = line. */
        public Builder framing(Framing framing) {
            this.framing = framing;
            return this;
        }

        /**
         * {@code echo}, {@code ack} or a reply TEXT; null = auto: echo when the mode is echo, the default ack
         * when the mode ack is given (on the endpoint or as an option), else any reply counts.
         */
        public Builder expect(String expect) {
            this.expect = expect;
            return this;
        }

        /** Connections, flows or workers; 1 by default. */
        public Builder connections(int connections) {
            this.connections = connections;
            return this;
        }

        /** Payload bytes per message; 64 by default. */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /** Pattern (default) or random payload. */
        public Builder payload(PayloadKind payload) {
            this.payload = payload;
            return this;
        }

        /** Messages in flight per connection; 1 by default. */
        public Builder pipeline(int pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        /** Messages per second in all (open loop); 0 (default) = closed loop. */
        public Builder rate(double rate) {
            this.rate = rate;
            return this;
        }

        /** Measured duration; 10 s unless a count is given. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Measured messages in all, instead of a duration. */
        public Builder count(long count) {
            this.count = count;
            return this;
        }

        /** Warm-up before measuring; 1 s by default, zero allowed. */
        public Builder warmup(Duration warmup) {
            this.warmup = warmup;
            return this;
        }

        /** Reply and connect timeout; 5 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** A new connection per message (streams only); off by default. */
        public Builder connectPerMessage(boolean connectPerMessage) {
            this.connectPerMessage = connectPerMessage;
            return this;
        }

        /** Longest stream reply accepted; 64 KiB by default. */
        public Builder maxFrameLength(int maxFrameLength) {
            this.maxFrameLength = maxFrameLength;
            return this;
        }

        /** TLS options for a {@code tls://} endpoint; the JDK's CAs and a server-name check by default. */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /** A PROXY protocol header each connection sends first (streams only); null (default) for none. */
        public Builder proxyHeader(ProxyHeader proxyHeader) {
            this.proxyHeader = proxyHeader;
            return this;
        }

        /** Count the correct identity replies by their value of this key (info mode); null (default) = none. */
        public Builder countBy(String countBy) {
            this.countBy = countBy;
            return this;
        }

        /** Connection churn: messages per connection before it is replaced (streams only); null (default) for none. */
        public Builder reuse(Reuse reuse) {
            this.reuse = reuse;
            return this;
        }

        /** The most new connections per second (streams only); 0 (default) for no cap. */
        public Builder connectRate(double connectRate) {
            this.connectRate = connectRate;
            return this;
        }

        /** When to begin the warm-up, once connected; null (default) for at once. */
        public Builder startAt(Instant startAt) {
            this.startAt = startAt;
            return this;
        }

        /** A short name for this client in merged results; null (default) for none. */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /**
         * The validated config.
         *
         * @throws IllegalArgumentException naming the option that is out of range or does not fit the others
         */
        public BenchConfig build() {
            boolean modeGiven = endpoint.mode().isPresent() || mode != null;
            ReplyMode effectiveMode = endpoint.modeOr(mode == null ? ReplyMode.ACK : mode);
            Optional<Framing> effectiveFraming = endpoint.kind().isDatagram() ? Optional.empty()
                    : Optional.of(endpoint.framing().orElse(framing == null ? ClientOptions.DEFAULT_STREAM_FRAMING
                            : framing));
            Expectation expectation;
            if (expect != null) {
                expectation = Expectation.parse(expect, endpoint.kind());
            } else if (effectiveMode == ReplyMode.ECHO) {
                expectation = Expectation.echo();
            } else if (effectiveMode == ReplyMode.INFO) {
                expectation = Expectation.info();
            } else {
                expectation = modeGiven ? Expectation.ack(endpoint.kind()) : Expectation.any();
            }
            if (count != null && count < 1) {
                throw new InvalidFieldException(FieldMessage.of(field("count"), " must be >= 1, was " + count));
            }
            if (count != null && duration != null) {
                throw new InvalidFieldException(FieldMessage.of("give either ", field("duration"), " or ",
                        field("count"), ", not both"));
            }
            Duration effectiveDuration = duration == null && count == null ? DEFAULT_DURATION : duration;
            return new BenchConfig(endpoint, transport, threads, effectiveMode, effectiveFraming, expectation,
                    connections, size, payload, pipeline, rate, effectiveDuration, count == null ? 0 : count, warmup,
                    timeout, connectPerMessage, maxFrameLength, tls, Optional.ofNullable(proxyHeader),
                    countBy, reuse, connectRate, startAt, label);
        }
    }
}
