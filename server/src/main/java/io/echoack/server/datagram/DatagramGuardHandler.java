package io.echoack.server.datagram;

import io.echoack.server.access.SourceFilter;
import io.echoack.server.metrics.ListenerMetrics.DropReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Drops, before the responder sees them, the UDP datagrams that must not be answered: sources outside the
 * allowed ranges ({@link DropReason#NOT_ALLOWED}), then whatever the {@link ReflectionGuard} refuses (by its
 * {@link Verdict#dropReason()}). A dropped datagram is released and reported to the {@link DatagramDropListener};
 * nothing is logged per datagram (a flood would flood the log), and the listening channel is never
 * affected. Datagrams that pass go on unchanged; non-UDP messages (Unix datagrams) pass untouched.
 *
 * <p>Place it right before the datagram responder ({@link DatagramServerInitializer} does). One instance
 * per UDP listener, with the listener's one {@link ReflectionGuard}; sharable, since it keeps no state of
 * its own. (With {@code --reuse-port} across N processes each process has its own guard: see
 * {@link ReflectionGuard}.) Runs on the event loop; allocates nothing per datagram, except what
 * {@code replyBytes} does (in info mode it builds the reply to measure it).
 */
@Sharable
public final class DatagramGuardHandler extends ChannelInboundHandlerAdapter {

    private final Supplier<SourceFilter> filter;
    private final ReflectionGuard guard;
    private final ToIntFunction<DatagramPacket> replyBytes;
    private final DatagramDropListener listener;

    /**
     * @param filter     the allowed source ranges ({@link SourceFilter#ALLOW_ALL} for none)
     * @param guard      the endpoint's reflection guard
     * @param replyBytes the payload length of the reply the responder would send to a request: the ack's
     *                   length in ack mode, the request's in echo mode, and in info mode the length of the
     *                   very reply built for its sender (a pure function of the datagram's addresses, so
     *                   that what is charged is what is sent)
     * @param listener   told about each dropped datagram
     */
    public DatagramGuardHandler(SourceFilter filter, ReflectionGuard guard, ToIntFunction<DatagramPacket> replyBytes,
                                DatagramDropListener listener) {
        this(constant(filter), guard, replyBytes, listener);
    }

    /**
     * As {@link #DatagramGuardHandler(SourceFilter, ReflectionGuard, ToIntFunction, DatagramDropListener)}, with
     * the allowed ranges read for each datagram: a new {@code --allow} (SIGHUP) applies from the next datagram.
     */
    public DatagramGuardHandler(Supplier<SourceFilter> filter, ReflectionGuard guard,
                                ToIntFunction<DatagramPacket> replyBytes, DatagramDropListener listener) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.replyBytes = Objects.requireNonNull(replyBytes, "replyBytes");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    private static Supplier<SourceFilter> constant(SourceFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return () -> filter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet) {
            DropReason drop = verdict(packet);
            if (drop != null) {
                InetSocketAddress sender = packet.sender();
                packet.release();
                listener.dropped(drop, sender);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Null to answer the packet, or why not. */
    private DropReason verdict(DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        if (sender == null) {
            return null; // nothing to answer to: the responder counts it
        }
        InetAddress address = sender.getAddress();
        if (address != null && !filter.get().allows(address)) {
            return DropReason.NOT_ALLOWED;
        }
        ByteBuf content = packet.content();
        int request = content.readableBytes();
        Verdict v = guard.check(sender, request, replyBytes.applyAsInt(packet));
        return v.dropReason();
    }
}
