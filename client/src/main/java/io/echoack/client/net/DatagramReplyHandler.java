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
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
 * taken for the next request's reply. Datagrams from any other sender are dropped. Unlike a stream, a
 * datagram socket survives every failure of a single exchange: nothing here closes the channel.
 */
final class DatagramReplyHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(DatagramReplyHandler.class);

    private final ExchangeSettings settings;
    private final SocketAddress server;
    private final LinkedList<PendingReply> waiting = new LinkedList<>();

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

    private Object packet(byte[] payload) {
        ByteBuf content = Unpooled.wrappedBuffer(payload);
        if (server instanceof DomainSocketAddress unix) {
            return new DomainDatagramPacket(content, unix);
        }
        return new DatagramPacket(content, (InetSocketAddress) server);
    }

    private void attemptTimedOut(ChannelHandlerContext ctx, PendingReply request) {
        request.timer = null;
        if (request.future.isDone() || !waiting.contains(request)) {
            return;
        }
        if (request.attempts < settings.maxAttempts()) {
            log.debug("{} no reply from {} within {} (attempt {}), sending again", ctx.channel(),
                    settings.endpoint().address(), Durations.format(settings.timeout()), request.attempts);
            sendAttempt(ctx, request, ctx.newPromise());
            ctx.flush();
            return;
        }
        waiting.remove(request);
        request.fail(new ReplyTimeoutException(settings.endpoint(), settings.timeout(), request.attempts));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof AddressedEnvelope<?, ?> datagram) || !(datagram.content() instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!isFromServer(datagram.sender())) {
                log.debug("{} dropped a datagram from {}: not the server {}", ctx.channel(), datagram.sender(),
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
            PendingReply request = settings.mode() == ReplyMode.ACK ? waiting.poll() : null;
            if (request != null) {
                request.fail(new InvalidReplyException(settings.endpoint(), settings.endpoint().address()
                        + " sent a reply longer than the max frame length " + settings.maxFrameLength(), null));
            }
            return;
        }
        byte[] reply = ByteBufUtil.getBytes(content);
        PendingReply request = settings.mode() == ReplyMode.ECHO ? removeEchoedBy(reply) : waiting.poll();
        if (request == null) {
            log.debug("{} dropped a reply from {} that no request waits for (a late duplicate?)", ctx.channel(),
                    settings.endpoint().address());
            return;
        }
        request.complete(reply);
    }

    private PendingReply removeEchoedBy(byte[] reply) {
        for (Iterator<PendingReply> it = waiting.iterator(); it.hasNext(); ) {
            PendingReply request = it.next();
            if (Arrays.equals(request.payload, reply)) {
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // One bad datagram (or an ICMP error) is no reason to give up the socket: requests time out instead.
        log.debug("{} {}: {}", ctx.channel(), settings.endpoint().address(), cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ConnectionClosedException closed = new ConnectionClosedException(settings.endpoint(), "socket for "
                + settings.endpoint().address() + " was closed before the reply arrived");
        PendingReply request;
        while ((request = waiting.poll()) != null) {
            request.fail(closed);
        }
        ctx.fireChannelInactive();
    }
}
