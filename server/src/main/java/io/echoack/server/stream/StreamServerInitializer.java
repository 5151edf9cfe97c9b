package io.echoack.server.stream;

import io.echoack.common.codec.ReplyMode;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.access.SourceFilterHandler;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.ConnectionLimiter;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.TimeoutHandler;
import io.echoack.server.limits.TimeoutSweeper;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ListenerMetrics;
import io.echoack.server.metrics.StreamMetricsHandler;
import io.echoack.server.tls.CloseNotifyHandler;
import io.echoack.server.tls.CloseNotifySeparator;
import io.echoack.server.tls.ServerTls;
import io.echoack.server.tls.TlsHandshakeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.DuplexChannelConfig;
import java.util.Objects;

/**
 * Builds the pipeline of each accepted stream connection. In order:
 * <ol>
 *   <li>{@value #SOURCE_FILTER}: closes connections from outside {@code --allow} (only when set)</li>
 *   <li>{@value #CONNECTION_LIMITER}: closes connections over the global or per-address limit</li>
 *   <li>{@value #TLS_SEPARATOR}: {@link CloseNotifySeparator}, so that replies are sent before a trailing
 *       {@code close_notify} is unwrapped (TLS with the OpenSSL provider only)</li>
 *   <li>{@value #TLS}: the {@code SslHandler}, on {@code tls://} listeners only; everything after it sees
 *       plaintext</li>
 *   <li>{@value #TLS_HANDSHAKE}: {@link TlsHandshakeHandler}, counts and quietly closes failed handshakes; gone
 *       once the handshake succeeded (TLS only)</li>
 *   <li>{@value #TLS_CLOSE_NOTIFY}: {@link CloseNotifyHandler}, the peer's {@code close_notify} as end of input
 *       (TLS only)</li>
 *   <li>{@value #TIMEOUTS}: idle and frame (slowloris) timeouts (unless both are off)</li>
 *   <li>{@value #FRAME_DECODER}: splits the stream into messages (none for raw framing: a read is a
 *       message); new per connection, bounded by the max frame length</li>
 *   <li>{@value #METRICS}: {@link StreamMetricsHandler}, counts messages and replies</li>
 *   <li>{@value #MESSAGE_PRINTER}: only with {@code --print-messages}</li>
 *   <li>{@value #RESPONDER}: {@link EchoResponder} or {@link AckResponder}</li>
 *   <li>{@value #BACKPRESSURE}: {@link BackpressureHandler}</li>
 *   <li>{@value #HALF_CLOSE}: {@link HalfCloseHandler}</li>
 *   <li>{@value #ERRORS}: {@link StreamErrorHandler}</li>
 * </ol>
 */
public final class StreamServerInitializer extends ChannelInitializer<Channel> {

    public static final String SOURCE_FILTER = "sourceFilter";
    public static final String CONNECTION_LIMITER = "connectionLimiter";
    public static final String TLS_SEPARATOR = "tlsCloseNotifySeparator";
    public static final String TLS = "tls";
    public static final String TLS_HANDSHAKE = "tlsHandshake";
    public static final String TLS_CLOSE_NOTIFY = "tlsCloseNotify";
    public static final String TIMEOUTS = "timeouts";
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String METRICS = "metrics";
    public static final String MESSAGE_PRINTER = "messagePrinter";
    public static final String RESPONDER = "responder";
    public static final String BACKPRESSURE = "backpressure";
    public static final String HALF_CLOSE = "halfClose";
    public static final String ERRORS = "errors";

    private final ListenerSpec spec;
    private final ListenerMetrics metrics;
    private final ChannelGroup connections;
    private final ChannelHandler printer;
    private final ChannelHandler responder;
    private final ChannelHandler errors;
    private final ChannelHandler sourceFilter;
    private final ChannelHandler limiter;
    private final TimeoutSweeper sweeper;
    private final CloseListener closes;
    private final ServerTls tls;
    private final ChannelHandler handshake;

    /** A pipeline without gates (no source filter, no limits, no timeouts): for tests and benchmarks. */
    public StreamServerInitializer(ListenerSpec spec, ListenerMetrics metrics, ChannelGroup connections,
                                   MessageLog messageLog) {
        this(spec, metrics, connections, messageLog, SourceFilter.ALLOW_ALL,
                new ConnectionCounter(ConnectionLimits.unlimited()), Timeouts.none());
    }

    /** A plaintext pipeline with gates: {@code tcp://} and {@code unix://} listeners. */
    public StreamServerInitializer(ListenerSpec spec, ListenerMetrics metrics, ChannelGroup connections,
                                   MessageLog messageLog, SourceFilter allow, ConnectionCounter counter,
                                   Timeouts timeouts) {
        this(spec, metrics, connections, messageLog, allow, counter, timeouts, null);
    }

    /** A pipeline with gates whose closes are only counted in the metrics. */
    public StreamServerInitializer(ListenerSpec spec, ListenerMetrics metrics, ChannelGroup connections,
                                   MessageLog messageLog, SourceFilter allow, ConnectionCounter counter,
                                   Timeouts timeouts, ServerTls tls) {
        this(spec, metrics, connections, messageLog, allow, counter, timeouts, tls, CloseListener.NONE);
    }

    /**
     * @param allow    the sources served
     * @param counter  the server-wide connection counter (shared by every stream listener)
     * @param timeouts idle and frame timeouts
     * @param tls      the server's TLS context for a {@code tls://} listener; null for plaintext ones
     * @param warnings told about every connection the server closes on its own, after the metrics (e.g. a
     *                 {@link io.echoack.server.limits.ConnectionLimitWarnings})
     */
    public StreamServerInitializer(ListenerSpec spec, ListenerMetrics metrics, ChannelGroup connections,
                                   MessageLog messageLog, SourceFilter allow, ConnectionCounter counter,
                                   Timeouts timeouts, ServerTls tls, CloseListener warnings) {
        if (spec.endpoint().kind().isTls() != (tls != null)) {
            throw new IllegalArgumentException("a TLS context goes with tls:// listeners, and only with them: "
                    + spec.endpoint().address());
        }
        Objects.requireNonNull(warnings, "warnings");
        this.closes = (reason, channel) -> {
            metrics.connectionClosedBy(reason);
            warnings.closing(reason, channel);
        };
        this.tls = tls;
        this.handshake = tls == null ? null : new TlsHandshakeHandler(closes);
        this.sourceFilter = allow.allowsAll() ? null : new SourceFilterHandler(allow, closes);
        this.limiter = new ConnectionLimiter(counter, closes);
        this.sweeper = timeouts.disabled() ? null : new TimeoutSweeper(timeouts, closes);
        this.spec = spec;
        this.metrics = metrics;
        this.connections = connections;
        this.printer = spec.printMessages() ? new MessagePrinter(spec.framing(), messageLog) : null;
        this.responder = spec.mode() == ReplyMode.ECHO ? EchoResponder.INSTANCE : new AckResponder(spec.ackFrame());
        this.errors = new StreamErrorHandler(spec.framing(), spec.maxFrameLength(), metrics);
    }

    @Override
    protected void initChannel(Channel ch) {
        connections.add(ch);
        if (ch.config() instanceof DuplexChannelConfig duplex) {
            // Set here, not as a child option: NIO's Unix channel ignores ALLOW_HALF_CLOSURE as an option.
            duplex.setAllowHalfClosure(true);
        }
        ChannelPipeline p = ch.pipeline();
        if (sourceFilter != null) {
            p.addLast(SOURCE_FILTER, sourceFilter);
        }
        p.addLast(CONNECTION_LIMITER, limiter);
        if (tls != null) {
            if (tls.closesOnCloseNotify()) {
                p.addLast(TLS_SEPARATOR, new CloseNotifySeparator());
            }
            p.addLast(TLS, tls.newHandler(ch.alloc()));
            p.addLast(TLS_HANDSHAKE, handshake);
            p.addLast(TLS_CLOSE_NOTIFY, CloseNotifyHandler.INSTANCE);
        }
        if (sweeper != null) {
            p.addLast(TIMEOUTS, new TimeoutHandler(sweeper, spec.framing()));
        }
        if (spec.framing().delimitsMessages()) {
            p.addLast(FRAME_DECODER, spec.framing().newDecoder(spec.maxFrameLength()));
        }
        p.addLast(METRICS, new StreamMetricsHandler(metrics));
        if (printer != null) {
            p.addLast(MESSAGE_PRINTER, printer);
        }
        p.addLast(RESPONDER, responder);
        p.addLast(BACKPRESSURE, BackpressureHandler.INSTANCE);
        p.addLast(HALF_CLOSE, HalfCloseHandler.INSTANCE);
        p.addLast(ERRORS, errors);
    }
}
