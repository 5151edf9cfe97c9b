package io.echoack.client.net;

import io.echoack.common.text.Durations;
import io.echoack.common.codec.ReplyMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests as datagrams (UDP or Unix datagram) to one server address and matches the datagrams it
 * answers with to them. Each attempt has its own timeout; after one expires the request is sent again, up
 * to the configured retries, and then fails with {@link ReplyTimeoutException}.
 *
 * <p>Replies are matched first in first out. In echo mode a reply is matched by its content instead, so
 * that a late duplicate (the answer to an attempt that had already timed out) is dropped instead of being
 * taken for the next request's reply; a reply that is neither the echo of a waiting request nor a late
 * duplicate fails the oldest waiting request with {@link InvalidReplyException} at once, naming what came
 * back. A reply longer than the max frame length fails the oldest waiting request too. An ICMP port
 * unreachable (a UDP socket is connected to its server, so the kernel reports it) fails every waiting
 * request with {@link ConnectionRefusedException}. Datagrams from any other sender are dropped. Unlike a
 * stream, a datagram socket survives every failure of a single exchange: nothing here closes the channel.
 */
final class DatagramReplyHandler extends ChannelDuplexHandler {

    /** The logger, made on first use: a run that logs nothing does not set logging up (the CLI's start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(DatagramReplyHandler.class);
    }

    /** How many payloads of resent or timed-out requests are remembered to recognise their late replies. */
    static final int REMEMBERED_PAYLOADS = 8;

    private final ExchangeSettings settings;
    private final SocketAddress server;
    private final LinkedList<PendingReply> waiting = new LinkedList<>();
    /** Echo mode: payloads whose replies may still arrive late, newest last. */
    private final ArrayDeque<byte[]> mayArriveLate = new ArrayDeque<>();

    DatagramReplyHandler(ExchangeSettings settings, SocketAddress server) {
        this.settings = settings;
        this.server = server;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof PendingReply request)) {
            ctx.write(msg, promise);
            return;
        }
        waiting.add(request);
        sendAttempt(ctx, request, promise);
    }

    private void sendAttempt(ChannelHandlerContext ctx, PendingReply request, ChannelPromise promise) {
        request.attempts++;
        request.timer = ctx.executor().schedule(() -> attemptTimedOut(ctx, request),
                settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.write(packet(request.payload), promise).addListener(sent -> {
            if (!sent.isSuccess() && waiting.remove(request)) {
                request.fail(settings.sendFailure(sent.cause()));
            }
        });
    }

    /** A Unix datagram names its recipient; a UDP socket is connected to the server, so a buffer is enough. */
    private Object packet(byte[] payload) {
        ByteBuf content = Unpooled.wrappedBuffer(payload);
        if (server instanceof DomainSocketAddress unix) {
            return new DomainDatagramPacket(content, unix);
        }
        return content;
    }

    private void attemptTimedOut(ChannelHandlerContext ctx, PendingReply request) {
        request.timer = null;
        if (request.future.isDone() || !waiting.contains(request)) {
            return;
        }
        if (request.attempts < settings.maxAttempts()) {
            Log.LOG.debug("{} no reply from {} within {} (attempt {}), sending again", ctx.channel(),
                    settings.endpoint().address(), Durations.format(settings.timeout()), request.attempts);
            sendAttempt(ctx, request, ctx.newPromise());
            ctx.flush();
            return;
        }
        waiting.remove(request);
        remember(request);
        request.fail(new ReplyTimeoutException(settings.endpoint(), settings.timeout(), request.attempts));
    }

    /** Echo mode: keeps the payload of a request whose reply may still arrive (late) after it left the queue. */
    private void remember(PendingReply request) {
        if (settings.mode() != ReplyMode.ECHO) {
            return;
        }
        if (mayArriveLate.size() == REMEMBERED_PAYLOADS) {
            mayArriveLate.removeFirst();
        }
        mayArriveLate.addLast(request.payload);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof AddressedEnvelope<?, ?> datagram) || !(datagram.content() instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!isFromServer(datagram.sender())) {
                Log.LOG.debug("{} dropped a datagram from {}: not the server {}", ctx.channel(), datagram.sender(),
                        settings.endpoint().address());
                return;
            }
            replyReceived(ctx, (ByteBuf) datagram.content());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void replyReceived(ChannelHandlerContext ctx, ByteBuf content) {
        if (content.readableBytes() > settings.maxFrameLength()) {
            failOldest(ctx, settings.replyTooLong(null));
            return;
        }
        byte[] reply = ByteBufUtil.getBytes(content);
        if (settings.mode() != ReplyMode.ECHO) { // an ack or identity reply: it answers the oldest request
            PendingReply request = waiting.poll();
            if (request == null) {
                Log.LOG.debug("{} dropped a reply from {} that no request waits for (a late duplicate?)", ctx.channel(),
                        settings.endpoint().address());
                return;
            }
            request.complete(reply);
            return;
        }
        PendingReply echoed = removeEchoedBy(reply);
        if (echoed != null) {
            if (echoed.attempts > 1) {
                remember(echoed);
            }
            echoed.complete(reply);
        } else if (isLateDuplicate(reply)) {
            Log.LOG.debug("{} dropped a late duplicate reply from {}", ctx.channel(), settings.endpoint().address());
        } else if (!waiting.isEmpty()) {
            failOldest(ctx, settings.notTheEcho(waiting.peek().payload, reply));
        }
    }

    private boolean isLateDuplicate(byte[] reply) {
        for (byte[] payload : mayArriveLate) {
            if (settings.isEcho(payload, reply)) {
                return true;
            }
        }
        return false;
    }

    private void failOldest(ChannelHandlerContext ctx, EchoAckClientException cause) {
        PendingReply request = waiting.poll();
        if (request == null) {
            Log.LOG.debug("{} {} with no request waiting", ctx.channel(), cause.getMessage());
            return;
        }
        remember(request); // its real reply, if any, may still come
        request.fail(cause);
    }

    private PendingReply removeEchoedBy(byte[] reply) {
        for (Iterator<PendingReply> it = waiting.iterator(); it.hasNext(); ) {
            PendingReply request = it.next();
            if (settings.isEcho(request.payload, reply)) {
                it.remove();
                return request;
            }
        }
        return null;
    }

    private boolean isFromServer(SocketAddress sender) {
        if (sender == null) {
            return true; // the transport did not say; the socket only talks to one server anyway
        }
        if (server instanceof DomainSocketAddress serverPath) {
            // an unbound sender has an empty path: nothing to compare
            return !(sender instanceof DomainSocketAddress senderPath) || senderPath.path().isEmpty()
                    || senderPath.path().equals(serverPath.path());
        }
        if (sender instanceof InetSocketAddress inet && server instanceof InetSocketAddress expected) {
            return inet.getPort() == expected.getPort() && sameHost(inet.getAddress(), expected.getAddress());
        }
        return sender.equals(server);
    }

    /** Address equality that treats {@code ::ffff:127.0.0.1} (seen on dual-stack sockets) as 127.0.0.1. */
    static boolean sameHost(InetAddress a, InetAddress b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Arrays.equals(unmapped(a.getAddress()), unmapped(b.getAddress()));
    }

    private static byte[] unmapped(byte[] address) {
        if (address.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (address[i] != 0) {
                    return address;
                }
            }
            if (address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
                return Arrays.copyOfRange(address, 12, 16);
            }
        }
        return address;
    }

    /**
     * An ICMP port unreachable (reported on the connected UDP socket) fails every waiting request as refused:
     * they all went to the one server address that nobody listens on. Anything else is no reason to give up
     * the socket or a request: requests time out instead.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Log.LOG.debug("{} {}: {}", ctx.channel(), settings.endpoint().address(), cause.toString());
        if (FailureKind.of(cause) != FailureKind.REFUSED) {
            return;
        }
        ConnectionRefusedException refused = new ConnectionRefusedException(settings.endpoint(),
                "ICMP port unreachable: nothing listens on that port", cause);
        PendingReply request;
        while ((request = waiting.poll()) != null) {
            request.fail(refused);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ConnectionClosedException closed = new ConnectionClosedException(settings.endpoint(), "socket for "
                + settings.endpoint().address() + " was closed before the reply arrived");
        PendingReply request;
        while ((request = waiting.poll()) != null) {
            request.fail(closed);
        }
        ChannelConnection.recordClosed(ctx.channel(), closed);
        ctx.fireChannelInactive();
    }
}
