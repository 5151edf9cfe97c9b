package io.echoack.client.net;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.text.FieldMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches replies on a stream connection (TCP, TLS, Unix stream) to requests, first in first out, so that
 * requests can be pipelined. Outbound it takes a {@link PendingReply}, queues it, starts its timer and
 * writes its payload on to the frame encoder. Inbound it takes whole frames from the frame decoder, or, with
 * raw framing, raw reads, which it cuts into replies itself: as many bytes as were sent in echo mode, a line in
 * info mode (an echoack server ends each raw identity reply with {@code \n}, which is dropped), the known ack
 * length in ack mode, else one read.
 *
 * <p>In echo mode each reply must be the echo of its message ({@link ExchangeSettings#isEcho}): one that is
 * not fails its request with {@link InvalidReplyException} at once, quoting what came back, as on datagrams.
 * With raw framing that is as soon as a byte read differs from the message, not only once as many bytes
 * as were sent have come. In ack mode any reply is an ack.
 *
 * <p>Any timeout, malformed, unsolicited or wrong echo reply closes the connection: on a stream a late or
 * extra reply would otherwise be taken for the answer to the next request. Every request still waiting then
 * fails. A server's error line ({@code ERROR: ...}, line framing) fails only its own request, with
 * {@link ErrorReplyException}: it is that message's answer, so the replies that follow still match. Not
 * sharable: it holds one connection's queue.
 */
final class StreamReplyHandler extends ChannelDuplexHandler {

    /** The logger, made on first use: a run that logs nothing does not set logging up (the CLI's start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(StreamReplyHandler.class);
    }

    private final ExchangeSettings settings;
    private final ClientTlsContext tls;
    private final Framing framing;
    private final ArrayDeque<PendingReply> waiting = new ArrayDeque<>();
    /** Raw framing only: bytes read but not yet handed out as a reply. */
    private ByteBuf rawBytes;
    /** Why this handler closed the connection, reported to the requests still waiting. */
    private EchoAckClientException closeCause;

    /** @param tls the TLS context of a {@code tls://} connection, to explain TLS failures; else null */
    StreamReplyHandler(ExchangeSettings settings, ClientTlsContext tls) {
        this.settings = settings;
        this.tls = tls;
        this.framing = settings.framing().orElseThrow();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof PendingReply request)) {
            ctx.write(msg, promise);
            return;
        }
        if (closeCause != null) {
            request.fail(closeCause);
            promise.setFailure(closeCause);
            return;
        }
        waiting.add(request);
        request.attempts = 1;
        request.timer = ctx.executor().schedule(() -> timedOut(ctx, request),
                settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.write(Unpooled.wrappedBuffer(request.payload), promise).addListener(written -> {
            if (!written.isSuccess()) {
                failAndClose(ctx, settings.sendFailure(written.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (framing == Framing.RAW) {
                rawRead(ctx, bytes);
            } else {
                frameRead(ctx, bytes);
            }
        } finally {
            bytes.release();
        }
    }

    private void frameRead(ChannelHandlerContext ctx, ByteBuf frame) {
        PendingReply request = waiting.poll();
        if (request == null) {
            unsolicited(ctx, frame.readableBytes());
            return;
        }
        byte[] reply = ByteBufUtil.getBytes(framing.payload(frame));
        if (settings.isErrorReply(request.payload, reply)) {
            request.fail(new ErrorReplyException(settings.endpoint(), reply)); // the server goes on: so do we
        } else if (settings.mode() == ReplyMode.ECHO && !settings.isEcho(request.payload, reply)) {
            notTheEcho(ctx, request, reply);
        } else {
            request.complete(reply);
        }
    }

    private void rawRead(ChannelHandlerContext ctx, ByteBuf read) {
        if (rawBytes == null) {
            rawBytes = ctx.alloc().buffer(read.readableBytes());
        }
        rawBytes.writeBytes(read);
        while (rawBytes.isReadable()) {
            PendingReply request = waiting.peek();
            if (request == null) {
                unsolicited(ctx, rawBytes.readableBytes());
                return;
            }
            if (settings.mode() == ReplyMode.ECHO && !startsLikeTheEcho(request.payload)) {
                waiting.poll();
                notTheEcho(ctx, request, ByteBufUtil.getBytes(rawBytes)); // all that came: its end is unknown
                return;
            }
            if (settings.mode() == ReplyMode.INFO) {
                int newline = rawBytes.indexOf(rawBytes.readerIndex(), rawBytes.writerIndex(), (byte) '\n');
                if (newline < 0) {
                    break; // the rest of this line is still on its way
                }
                waiting.poll();
                byte[] reply = new byte[newline - rawBytes.readerIndex()];
                rawBytes.readBytes(reply).skipBytes(1);
                request.complete(reply);
                continue;
            }
            int length = settings.rawReplyLength(request.payload);
            if (length < 0) {
                length = rawBytes.readableBytes(); // ack of unknown length: this read is the reply
            } else if (rawBytes.readableBytes() < length) {
                break; // the rest of this reply is still on its way
            }
            waiting.poll();
            byte[] reply = new byte[length];
            rawBytes.readBytes(reply);
            request.complete(reply);
        }
        releaseRawBytesIfEmpty();
    }

    /** Raw echo: true while the bytes read so far, up to the message's length, are the message's first bytes. */
    private boolean startsLikeTheEcho(byte[] payload) {
        int start = rawBytes.readerIndex();
        int compared = Math.min(payload.length, rawBytes.readableBytes());
        for (int i = 0; i < compared; i++) {
            if (rawBytes.getByte(start + i) != payload[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fails {@code request}, already taken from the queue, because {@code reply} is not its echo, and closes:
     * the server does not echo, or its replies are out of step with the requests.
     */
    private void notTheEcho(ChannelHandlerContext ctx, PendingReply request, byte[] reply) {
        // close first, so that a caller woken by the failure finds the connection closed
        failAndClose(ctx, new ConnectionClosedException(settings.endpoint(), "connection to "
                + settings.endpoint().address() + " closed after a reply that was not the echo of its message: "
                + "later replies could no longer be matched to their requests"));
        request.fail(settings.notTheEcho(request.payload, reply));
    }

    private void unsolicited(ChannelHandlerContext ctx, int length) {
        failAndClose(ctx, new InvalidReplyException(settings.endpoint(), settings.endpoint().address() + " sent "
                + length + " byte(s) when no request was waiting for a reply", null));
    }

    private void timedOut(ChannelHandlerContext ctx, PendingReply request) {
        if (request.future.isDone() || !waiting.remove(request)) {
            return;
        }
        request.timer = null;
        request.fail(new ReplyTimeoutException(settings.endpoint(), settings.timeout(), 1));
        failAndClose(ctx, new ConnectionClosedException(settings.endpoint(), "connection to "
                + settings.endpoint().address() + " closed after a reply timed out: later replies could no "
                + "longer be matched to their requests"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Log.LOG.debug("{} {}: {}", ctx.channel(), settings.endpoint().address(), cause.toString());
        EchoAckClientException failure;
        SSLException tlsFailure = tlsFailure(cause);
        if (tlsFailure != null) {
            failure = new TlsException(settings.endpoint(), FieldMessage.of("TLS failed on the connection to "
                    + settings.endpoint().address() + ": ", tls == null ? tlsFailure.getMessage()
                            : tls.explain(settings.endpoint(), cause)), cause);
        } else if (cause instanceof TooLongFrameException) {
            failure = settings.replyTooLong(cause);
        } else if (cause instanceof CorruptedFrameException || cause instanceof DecoderException) {
            failure = new InvalidReplyException(settings.endpoint(), settings.endpoint().address()
                    + " sent a malformed reply: " + cause.getMessage(), cause);
        } else if (cause instanceof IOException) {
            failure = new ConnectionClosedException(settings.endpoint(), "connection to "
                    + settings.endpoint().address() + " failed: " + cause.getMessage(), cause);
        } else {
            failure = new EchoAckClientException(settings.endpoint(), "unexpected error on connection to "
                    + settings.endpoint().address() + ": " + cause, cause);
        }
        failAndClose(ctx, failure);
    }

    /** The SSLException behind {@code cause} (the SslHandler wraps it in a DecoderException), or null. */
    private static SSLException tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    /** Fails every waiting request with {@code cause} and closes; the first cause wins. */
    private void failAndClose(ChannelHandlerContext ctx, EchoAckClientException cause) {
        if (closeCause == null) {
            closeCause = cause;
            ChannelConnection.recordCloseCause(ctx.channel(), cause);
        }
        failWaiting(closeCause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeCause == null) {
            closeCause = ChannelConnection.closedByClient(ctx.channel())
                    ? new ConnectionClosedException(settings.endpoint(), "connection to "
                            + settings.endpoint().address() + " was closed by the client before the reply arrived")
                    : ConnectionClosedException.closedByServer(settings.endpoint(), "connection closed by "
                            + settings.endpoint().address() + " before the reply arrived"); // a FIN: end of stream
        }
        failWaiting(closeCause);
        releaseRawBytes();
        ChannelConnection.recordClosed(ctx.channel(), closeCause);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseRawBytes();
    }

    private void failWaiting(EchoAckClientException cause) {
        PendingReply request;
        while ((request = waiting.poll()) != null) {
            request.fail(cause);
        }
    }

    private void releaseRawBytesIfEmpty() {
        if (rawBytes != null && !rawBytes.isReadable()) {
            releaseRawBytes();
        }
    }

    private void releaseRawBytes() {
        if (rawBytes != null) {
            ReferenceCountUtil.safeRelease(rawBytes);
            rawBytes = null;
        }
    }
}
