package io.echoack.server.datagram;

import io.echoack.common.codec.ConstantBuffers;
import io.echoack.common.codec.ReplyMode;
import io.echoack.server.identity.InfoReplies;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ListenerMetrics;
import io.echoack.server.metrics.ListenerMetrics.DropReason;
import io.echoack.server.metrics.MessageTally;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each datagram (UDP or Unix datagram) to its sender: the ack text, the same bytes in echo
 * mode, or in info mode what the server saw of the datagram ({@link InfoReplies#datagram}). A datagram that
 * cannot be answered (an unbound Unix client, source port 0) is dropped and counted; no single bad packet
 * ever closes the listening channel. Counts are kept in plain fields and handed to
 * the shared metrics once per read burst, so one instance serves exactly one channel (not sharable).
 */
public final class DatagramResponder extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DatagramResponder.class);

    private final ReplyMode mode;
    private final ByteBuf ack;
    private final InfoReplies info;
    private final MessageLog messageLog;
    private final ListenerMetrics metrics;
    private final LongAdder unanswerable = new LongAdder();
    private final MessageTally tally = new MessageTally();

    /**
     * @param mode       ack or echo
     * @param ackPayload the datagram acknowledgement
     * @param messageLog where to print messages, or null not to
     * @param metrics    where to count datagrams
     */
    public DatagramResponder(ReplyMode mode, byte[] ackPayload, MessageLog messageLog, ListenerMetrics metrics) {
        this(mode, ackPayload, null, messageLog, metrics);
    }

    /**
     * @param mode       ack, echo or info
     * @param ackPayload the datagram acknowledgement
     * @param info       info mode's replies; null in the other modes
     * @param messageLog where to print messages, or null not to
     * @param metrics    where to count datagrams
     */
    public DatagramResponder(ReplyMode mode, byte[] ackPayload, InfoReplies info, MessageLog messageLog,
                             ListenerMetrics metrics) {
        if ((mode == ReplyMode.INFO) != (info != null)) {
            throw new IllegalArgumentException("info replies go with info mode, and only with it");
        }
        this.info = info;
        this.mode = mode;
        this.metrics = metrics;
        this.ack = ConstantBuffers.of(ackPayload);
        this.messageLog = messageLog;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof AddressedEnvelope<?, ?> envelope) || !(envelope.content() instanceof ByteBuf content)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            SocketAddress sender = envelope.sender();
            tally.received(content.readableBytes());
            if (messageLog != null) {
                messageLog.print(content);
            }
            if (!canReplyTo(sender)) {
                unanswerable.increment();
                metrics.datagramDropped(DropReason.NO_REPLY_ADDRESS);
                log.debug("{} dropped a datagram from {}: no address to answer to", ctx.channel(), sender);
                return;
            }
            if (mode == ReplyMode.ECHO && !content.isReadable()) {
                // Its echo would be an empty datagram, which Netty never sends: say so instead of counting a
                // reply that did not leave.
                metrics.datagramDropped(DropReason.EMPTY);
                return;
            }
            ByteBuf reply = switch (mode) {
                // the request's own buffer, one more reference: nothing reads or moves its indices after this
                // (a duplicate was one more object per datagram)
                case ECHO -> content.retain();
                case ACK -> ack.duplicate();
                case INFO -> Unpooled.wrappedBuffer(info.datagram(sender, envelope.recipient()));
            };
            tally.sent(reply.readableBytes());
            Object packet = sender instanceof DomainSocketAddress unix
                    ? new DomainDatagramPacket(reply, unix)
                    : new DatagramPacket(reply, (InetSocketAddress) sender);
            ctx.write(packet, ctx.voidPromise());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static boolean canReplyTo(SocketAddress sender) {
        if (sender instanceof InetSocketAddress inet) {
            return inet.getPort() != 0;
        }
        if (sender instanceof DomainSocketAddress unix) {
            return !unix.path().isEmpty();
        }
        return false;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        publish();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        publish();
        ctx.fireChannelInactive();
    }

    private void publish() {
        tally.publishTo(metrics);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // One peer's failure (e.g. an ICMP error surfacing on send) must not stop the listener.
        metrics.error(cause instanceof java.io.IOException ? ListenerMetrics.ErrorKind.IO
                : ListenerMetrics.ErrorKind.UNEXPECTED);
        log.debug("{} datagram error, still serving: {}", ctx.channel(), cause.toString());
    }

    /** Datagrams dropped because their sender had no address to answer to. */
    public long unanswerable() {
        return unanswerable.sum();
    }
}
