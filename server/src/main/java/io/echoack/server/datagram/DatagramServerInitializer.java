package io.echoack.server.datagram;

import io.echoack.server.fault.DatagramFaultHandler;
import io.echoack.server.fault.ListenerFaults;
import java.net.InetSocketAddress;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Datagrams;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.listener.ListenerGates;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ListenerMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.echoack.server.identity.InfoReplies;
import io.netty.channel.socket.DatagramPacket;
import java.util.function.ToIntFunction;

/**
 * Builds the pipeline of a datagram listener (UDP or Unix datagram) from its {@link ListenerContext}. It runs
 * once per socket of the endpoint: one socket for most, one per local address for a UDP endpoint on a wildcard
 * address (so that replies leave from the address they were sent to; see the binding package). One instance
 * serves all the sockets of its endpoint, so they share one reflection guard. In order:
 * <ol>
 *   <li>{@value #GUARD}: {@link DatagramGuardHandler}, drops datagrams from outside {@code --allow} and
 *       those the {@link ReflectionGuard} refuses, each counted in the metrics and then told to the
 *       {@link ReflectionGuardWarnings} (UDP only: Unix datagram peers are local)</li>
 *   <li>{@value #FAULTS}: {@link DatagramFaultHandler}, drops, corrupts, duplicates, reorders and delays replies;
 *       a duplicate is charged to the reflection guard like any reply. On every listener, also one started
 *       without faults: a datagram channel lives as long as the server, and faults set at run time (admin
 *       endpoint, reload) must reach it; with none it passes each reply straight on</li>
 *   <li>{@value #RESPONDER}: {@link DatagramResponder}, answers each datagram to its sender</li>
 * </ol>
 * The listener's bootstrap also sets {@link #receiveAllocator()} and, on UDP, {@link #RECEIVE_BUFFER_BYTES}.
 */
public final class DatagramServerInitializer extends ChannelInitializer<Channel> {

    public static final String GUARD = "guard";
    public static final String FAULTS = "faults";
    public static final String RESPONDER = "responder";

    /** Largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP): no datagram is ever truncated. */
    public static final int MAX_DATAGRAM_BYTES = Datagrams.MAX_PAYLOAD_BYTES;
    /** Datagrams read per wake-up before the event loop turns to its other channels. */
    public static final int DATAGRAMS_PER_READ = 16;
    /** Requested kernel receive buffer for UDP sockets, so bursts are not dropped (capped by rmem_max). */
    public static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

    private final ListenerSpec spec;
    private final ListenerMetrics metrics;
    private final MessageLog messageLog;
    private final DatagramGuardHandler guard;
    /** Info mode's replies; null in the other modes. */
    private final InfoReplies info;
    private final ListenerFaults faults;
    private final DatagramFaultHandler.ExtraReplies extraReplies;

    /**
     * The pipeline of {@code listener}. On UDP, every datagram the guard drops is counted in the listener's
     * metrics, then told to a {@link ReflectionGuardWarnings} (the WARN lines about the guard's limits); the
     * listener gets a {@link ReflectionGuard} of its own.
     */
    public DatagramServerInitializer(ListenerContext listener) {
        this.spec = listener.spec();
        if (spec.endpoint().kind().isStream()) {
            throw new IllegalArgumentException("not a datagram endpoint: " + spec.endpoint().address());
        }
        this.metrics = listener.metrics();
        this.messageLog = listener.messageLog();
        this.info = spec.mode() == ReplyMode.INFO ? new InfoReplies(listener.identity(), listener.label(),
                spec.format()) : null;
        if (spec.endpoint().kind() == EndpointKind.UDP) {
            ListenerGates gates = listener.gates();
            DatagramDropListener warnings =
                    new ReflectionGuardWarnings(listener.warnings(), listener.label(), gates.udpGuard());
            int ackLength = spec.ackPayload().length;
            ToIntFunction<DatagramPacket> replyBytes = switch (spec.mode()) {
                case ECHO -> request -> request.content().readableBytes();
                case ACK -> request -> ackLength;
                // the reply is only known once built: build it to charge exactly what would be sent
                case INFO -> request -> info.datagram(request.sender(), request.recipient()).length;
            };
            ReflectionGuard reflectionGuard = new ReflectionGuard(gates.udpGuard()); // follows a reload
            // a duplicate reply is charged like a reply to a request of no bytes: it counts against the source's
            // rate and its byte ratio, and is not sent when they are spent
            this.extraReplies = (recipient, bytes) -> recipient instanceof InetSocketAddress inet
                    && reflectionGuard.check(inet, 0, bytes).accepted();
            this.guard = new DatagramGuardHandler(gates.allow(), reflectionGuard, replyBytes,
                    (reason, sender) -> {
                        metrics.datagramDropped(reason);
                        warnings.dropped(reason, sender);
                    });
        } else {
            this.guard = null;
            this.extraReplies = DatagramFaultHandler.ExtraReplies.UNLIMITED;
        }
        this.faults = listener.faults();
    }

    @Override
    protected void initChannel(Channel ch) {
        if (guard != null) {
            ch.pipeline().addLast(GUARD, guard);
        }
        ch.pipeline().addLast(FAULTS, new DatagramFaultHandler(faults, faults.nextRandom(),
                (fault, channel) -> metrics.faultInjected(fault), extraReplies));
        ch.pipeline().addLast(RESPONDER,
                new DatagramResponder(spec.mode(), spec.ackPayload(), info, messageLog, metrics));
    }

    /**
     * One buffer of the largest datagram per read, so nothing is ever truncated; and keep reading until the
     * socket is empty (at most {@value #DATAGRAMS_PER_READ} datagrams per wake-up) instead of Netty's default
     * of stopping when a read did not fill its buffer, which for datagrams (almost never 64 KiB) meant one
     * epoll_wait per datagram. The replies of one wake-up then leave together (sendmmsg where the transport
     * has it). A new allocator per listener.
     */
    public static FixedRecvByteBufAllocator receiveAllocator() {
        FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES);
        allocator.respectMaybeMoreData(false);
        allocator.maxMessagesPerRead(DATAGRAMS_PER_READ);
        return allocator;
    }
}
