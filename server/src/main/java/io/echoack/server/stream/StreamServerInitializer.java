package io.echoack.server.stream;

import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.ProxyProtocol;
import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.echoack.server.connectionlog.ConnectionLog;
import io.echoack.server.fault.FaultEvents;
import io.echoack.server.fault.ListenerFaults;
import io.echoack.server.fault.ReplyShaper;
import io.echoack.server.fault.StreamFaultHandler;
import io.echoack.server.connectionlog.ConnectionLogHandler;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.access.SourceFilterHandler;
import io.echoack.server.identity.InfoReplies;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.ConnectionLimitWarnings;
import io.echoack.server.limits.ConnectionLimiter;
import io.echoack.server.limits.TimeoutHandler;
import io.echoack.server.limits.TimeoutSweeper;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.listener.ListenerGates;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.live.LiveSetting;
import io.echoack.server.metrics.ListenerMetrics;
import io.echoack.server.metrics.StreamMetricsHandler;
import io.echoack.server.proxy.header.ProxyHeaderHandler;
import io.echoack.server.proxy.header.ProxyRefusalWarnings;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.tls.CloseNotifyHandler;
import io.echoack.server.tls.CloseNotifySeparator;
import io.echoack.server.tls.ServerTls;
import io.echoack.server.tls.TlsHandshakeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.DuplexChannelConfig;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of each accepted stream connection, from its listener's {@link ListenerContext}. In order:
 * <ol>
 *   <li>{@value #SOURCE_FILTER}: closes connections from outside {@code --allow} (only when set as the
 *       connection arrives)</li>
 *   <li>{@value #CONNECTION_LIMITER}: closes connections over the global or per-address limit</li>
 *   <li>On a listener with {@code ?proxy=} the client is known only after the connection's PROXY header, so
 *       the two above are placed differently:
 *     <ol>
 *       <li>{@value #CONNECTION_LIMITER}: the global limit only, so that connections still sending their
 *           header hold a slot</li>
 *       <li>{@value #PROXY_DETECTOR}: whether the first bytes begin a header; replaced by Netty's decoder,
 *           {@value #PROXY_DECODER}, when they do</li>
 *       <li>{@value #PROXY_HEADER}: {@link ProxyHeaderHandler}, holds the connection back until its header is
 *           read and its source recorded as the client (every gate and handler after it sees the connection
 *           become active then), refuses it otherwise; all three are gone once the header is read</li>
 *       <li>{@value #SOURCE_FILTER}: {@code --allow}, on the client (only when set)</li>
 *       <li>{@value #CLIENT_LIMITER}: the per-address count and limit, on the client; the header comes
 *           before the TLS handshake, so all of this comes before TLS</li>
 *     </ol>
 *   </li>
 *   <li>{@value #TLS_SEPARATOR}: {@link CloseNotifySeparator}, so that replies are sent before a trailing
 *       {@code close_notify} is unwrapped (TLS with the OpenSSL provider only)</li>
 *   <li>{@value #TLS}: the {@code SslHandler}, on {@code tls://} listeners only; everything after it sees
 *       plaintext</li>
 *   <li>{@value #TLS_HANDSHAKE}: {@link TlsHandshakeHandler}, counts and quietly closes failed handshakes; gone
 *       once the handshake succeeded (TLS only)</li>
 *   <li>{@value #TLS_CLOSE_NOTIFY}: {@link CloseNotifyHandler}, the peer's {@code close_notify} as end of input
 *       (TLS only)</li>
 *   <li>{@value #TIMEOUTS}: idle and frame (slowloris) timeouts (unless both are off as the connection
 *       arrives)</li>
 *   <li>{@value #FRAME_DECODER}: splits the stream into messages (none for raw framing: a read is a
 *       message); new per connection, bounded by the max frame length</li>
 *   <li>{@value #FAULT_SHAPER}: {@link ReplyShaper}, holds, paces and slices replies, ends the connection after
 *       so many reply bytes (only on a listener with {@code delay}, {@code jitter}, {@code bandwidth},
 *       {@code slice}, {@code close-after} or {@code reset-after})</li>
 *   <li>{@value #METRICS}: {@link StreamMetricsHandler}, counts messages and replies</li>
 *   <li>{@value #CONNECTION_LOG}: {@link ConnectionLogHandler}, counts the connection's messages and bytes and
 *       writes its line when it closes (only with {@code --connection-log})</li>
 *   <li>{@value #MESSAGE_PRINTER}: only with {@code --print-messages}</li>
 *   <li>{@value #FAULTS}: {@link StreamFaultHandler}, resets, closes or blackholes the connection at a message,
 *       delays its first read and the server's close (only on a listener with {@code reset}, {@code close},
 *       {@code blackhole}, {@code accept-delay} or {@code slow-close})</li>
 *   <li>{@value #RESPONDER}: {@link EchoResponder}, {@link AckResponder} or (new per connection)
 *       {@link InfoResponder}</li>
 *   <li>{@value #BACKPRESSURE}: {@link BackpressureHandler}</li>
 *   <li>{@value #HALF_CLOSE}: {@link HalfCloseHandler}</li>
 *   <li>{@value #ERRORS}: {@link StreamErrorHandler}</li>
 * </ol>
 *
 * <p>The child handler of a stream listener: one instance serves every connection of it. When added to a
 * connection's pipeline (on the connection's event loop, once the connection is registered) it builds the
 * pipeline above and removes itself. It is not a Netty {@code ChannelInitializer}: that one records each channel
 * it initialises in a concurrent map shared by all of the listener's connections (an insert and a removal per
 * connection, from every event loop), a guard against being initialised twice that a handler doing its work in
 * {@code handlerAdded} only does not need (the measurements: bench/README.md, "Cost of a connection").
 */
@Sharable
public final class StreamServerInitializer extends ChannelHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StreamServerInitializer.class);

    public static final String SOURCE_FILTER = "sourceFilter";
    public static final String CONNECTION_LIMITER = "connectionLimiter";
    public static final String PROXY_DETECTOR = "proxyDetector";
    public static final String PROXY_DECODER = ProxyHeaderHandler.DECODER;
    public static final String PROXY_HEADER = "proxyHeader";
    public static final String CLIENT_LIMITER = "clientConnectionLimiter";
    public static final String TLS_SEPARATOR = "tlsCloseNotifySeparator";
    public static final String TLS = "tls";
    public static final String TLS_HANDSHAKE = "tlsHandshake";
    public static final String TLS_CLOSE_NOTIFY = "tlsCloseNotify";
    public static final String TIMEOUTS = "timeouts";
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String FAULT_SHAPER = "faultShaper";
    public static final String METRICS = "metrics";
    public static final String CONNECTION_LOG = "connectionLog";
    public static final String MESSAGE_PRINTER = "messagePrinter";
    public static final String FAULTS = "faults";
    public static final String RESPONDER = "responder";
    public static final String BACKPRESSURE = "backpressure";
    public static final String HALF_CLOSE = "halfClose";
    public static final String ERRORS = "errors";

    private final ListenerSpec spec;
    private final String label;
    private final ConnectionLog connectionLog;
    private final ListenerMetrics metrics;
    private final ChannelGroup connections;
    private final ChannelHandler printer;
    /** The responder of ack and echo mode, shared by every connection; null in info mode. */
    private final ChannelHandler responder;
    /** Info mode's replies, for each connection's own {@link InfoResponder}; null in the other modes. */
    private final InfoReplies info;
    private final ChannelHandler errors;
    private final LiveSetting<SourceFilter> allow;
    /** Added to the connections that arrive while {@code --allow} is set. */
    private final ChannelHandler sourceFilter;
    private final ChannelHandler limiter;
    private final ChannelHandler clientLimiter;
    private final ProxyProtocol proxy;
    private final ProxySettings proxySettings;
    private final CloseListener closes;
    /** Watches the connections that arrive while a timeout is on. */
    private final TimeoutSweeper sweeper;
    private final ServerTls tls;
    private final ChannelHandler handshake;
    private final ListenerFaults faults;
    private final FaultEvents faultEvents;

    /**
     * The pipeline of {@code listener}'s connections. Every connection the server closes on its own is counted in
     * the listener's metrics, then told to a {@link ConnectionLimitWarnings} (the WARN lines about limits), on
     * a PROXY listener to a {@link ProxyRefusalWarnings} (the WARN lines about headers) and, with a connection
     * log, to the connection's {@link ConnectionLogHandler}.
     */
    public StreamServerInitializer(ListenerContext listener) {
        this.spec = listener.spec();
        if (!spec.endpoint().kind().isStream()) {
            throw new IllegalArgumentException("not a stream endpoint: " + spec.endpoint().address());
        }
        this.label = listener.label();
        this.metrics = listener.metrics();
        this.connections = listener.connections();
        this.connectionLog = listener.connectionLog();
        ListenerGates gates = listener.gates();
        CloseListener warnings =
                new ConnectionLimitWarnings(listener.warnings(), listener.label(), gates.connections()::limits);
        CloseListener proxyWarnings = spec.proxy().isEmpty() ? CloseListener.NONE
                : new ProxyRefusalWarnings(listener.warnings(), listener.label(), spec.proxy().get());
        CloseListener logged = connectionLog == null ? CloseListener.NONE : ConnectionLogHandler.CLOSE_REASONS;
        this.closes = (reason, channel) -> {
            metrics.connectionClosedBy(reason);
            warnings.closing(reason, channel);
            proxyWarnings.closing(reason, channel);
            logged.closing(reason, channel);
        };
        this.tls = listener.tls();
        this.handshake = tls == null ? null : new TlsHandshakeHandler(closes);
        this.allow = gates.allow();
        this.sourceFilter = new SourceFilterHandler(allow, closes);
        this.proxy = spec.proxy().orElse(null);
        this.proxySettings = gates.proxy();
        if (proxy == null) {
            this.limiter = new ConnectionLimiter(gates.connections(), closes);
            this.clientLimiter = null;
        } else {
            this.limiter = new ConnectionLimiter(gates.connections(), ConnectionLimiter.Counts.TOTAL, closes);
            // always: every client is counted, so that a per-address limit set by a reload counts it too
            this.clientLimiter = new ConnectionLimiter(gates.connections(), ConnectionLimiter.Counts.PER_CLIENT_ADDRESS,
                    closes);
        }
        this.sweeper = new TimeoutSweeper(gates.timeouts(), closes);
        this.printer = spec.printMessages() ? new MessagePrinter(spec.framing(), listener.messageLog()) : null;
        this.info = spec.mode() == ReplyMode.INFO ? new InfoReplies(listener.identity(), listener.label(),
                spec.format()) : null;
        this.responder = switch (spec.mode()) {
            case ECHO -> EchoResponder.INSTANCE;
            case ACK -> new AckResponder(spec.ackFrame());
            case INFO -> null;
        };
        this.errors = new StreamErrorHandler(spec.framing(), spec.maxFrameLength(), metrics);
        this.faults = listener.faults();
        this.faultEvents = (fault, channel) -> metrics.faultInjected(fault);
    }

    /**
     * Builds the connection's pipeline in place of this handler. As with a {@code ChannelInitializer}, a
     * failure to build it is logged and the connection closed.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        try {
            initChannel(ctx.channel());
        } catch (Throwable cause) {
            log.warn("{}: could not set up the connection, closing it", ctx.channel(), cause);
            ctx.close();
        } finally {
            if (!ctx.isRemoved()) {
                ctx.pipeline().remove(this);
            }
        }
    }

    private void initChannel(Channel ch) {
        connections.add(ch);
        if (ch.config() instanceof DuplexChannelConfig duplex) {
            // Set here, not as a child option: NIO's Unix channel ignores ALLOW_HALF_CLOSURE as an option.
            duplex.setAllowHalfClosure(true);
        }
        ChannelPipeline p = ch.pipeline();
        // the gates' settings as they are now (SIGHUP may change them): each connection is built from one reading
        boolean filters = !allow.get().allowsAll();
        if (proxy == null) {
            if (filters) {
                p.addLast(SOURCE_FILTER, sourceFilter);
            }
            p.addLast(CONNECTION_LIMITER, limiter);
        } else {
            p.addLast(CONNECTION_LIMITER, limiter);
            ProxyHeaderHandler header = new ProxyHeaderHandler(proxy, proxySettings, closes);
            p.addLast(PROXY_DETECTOR, header.detector());
            p.addLast(PROXY_HEADER, header);
            if (filters) {
                p.addLast(SOURCE_FILTER, sourceFilter);
            }
            p.addLast(CLIENT_LIMITER, clientLimiter);
        }
        if (tls != null) {
            if (tls.closesOnCloseNotify()) {
                p.addLast(TLS_SEPARATOR, new CloseNotifySeparator());
            }
            p.addLast(TLS, tls.newHandler(ch.alloc()));
            p.addLast(TLS_HANDSHAKE, handshake);
            p.addLast(TLS_CLOSE_NOTIFY, CloseNotifyHandler.INSTANCE);
        }
        if (!sweeper.timeouts().disabled()) {
            p.addLast(TIMEOUTS, new TimeoutHandler(sweeper, spec.framing()));
        }
        if (spec.framing().delimitsMessages()) {
            p.addLast(FRAME_DECODER, spec.framing().newDecoder(spec.maxFrameLength()));
        }
        Faults now = faults.current(); // a connection gets the fault handlers its listener needs when it is accepted
        long stream = faults.nextStream(); // numbered with or without faults: the n-th connection's draws stay its own
        SplittableRandom random = now.isNone() ? null : faults.random(stream);
        if (shapesReplies(now)) {
            p.addLast(FAULT_SHAPER, new ReplyShaper(faults, random, faultEvents, closes));
        }
        p.addLast(METRICS, new StreamMetricsHandler(metrics));
        if (connectionLog != null) {
            p.addLast(CONNECTION_LOG, new ConnectionLogHandler(connectionLog, label, spec.framing()));
        }
        if (printer != null) {
            p.addLast(MESSAGE_PRINTER, printer);
        }
        if (actsOnMessages(now)) {
            p.addLast(FAULTS, new StreamFaultHandler(faults, random, faultEvents, closes));
        }
        p.addLast(RESPONDER, info != null ? new InfoResponder(info, spec.framing()) : responder);
        p.addLast(BACKPRESSURE, BackpressureHandler.INSTANCE);
        p.addLast(HALF_CLOSE, HalfCloseHandler.INSTANCE);
        p.addLast(ERRORS, errors);
    }

    private static boolean shapesReplies(Faults f) {
        return f.has(FaultKey.DELAY) || f.has(FaultKey.JITTER) || f.has(FaultKey.BANDWIDTH) || f.has(FaultKey.SLICE)
                || f.has(FaultKey.CLOSE_AFTER) || f.has(FaultKey.RESET_AFTER);
    }

    private static boolean actsOnMessages(Faults f) {
        return f.has(FaultKey.RESET) || f.has(FaultKey.CLOSE) || f.has(FaultKey.BLACKHOLE)
                || f.has(FaultKey.ACCEPT_DELAY) || f.has(FaultKey.SLOW_CLOSE);
    }
}
