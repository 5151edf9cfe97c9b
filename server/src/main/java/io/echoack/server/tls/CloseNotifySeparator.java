package io.echoack.server.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Keeps the OpenSSL provider from losing replies when a client's last messages and its {@code close_notify}
 * arrive in one read (what {@code echo hello | socat - OPENSSL:...} does). Netty's OpenSSL engine closes the
 * server's sending side while it unwraps the {@code close_notify}, and it unwraps every record of a read in
 * one go, so the replies to the messages before it could no longer be sent. This handler, in front of the
 * {@code SslHandler}, splits such a read in two: the records before the last one, then a
 * {@code channelReadComplete} (the responder flushes its replies there, and they are encrypted and written),
 * then the last record.
 *
 * <p>It follows the TLS record headers across reads (5 bytes: type, version, length) without decrypting
 * anything, and splits when a read ends exactly at a record boundary with a record that may be a
 * {@code close_notify}: an alert (type 21, visible as such up to TLS 1.2) or, since TLS 1.3 hides the type,
 * a short application-data record, at most {@value #MAX_TLS13_ALERT_RECORD} bytes (a close_notify is a 2-byte
 * alert, its inner type and a 16-byte AEAD tag: 19 bytes from OpenSSL clients, 35 from the JDK's, which pads).
 * A short message at the end of a read looks the same; it then only costs one more flush. Not needed with
 * the JDK provider, which keeps sending after a {@code close_notify}. New per connection; bytes it does not
 * split pass through untouched.
 */
public final class CloseNotifySeparator extends ChannelInboundHandlerAdapter {

    static final int HEADER_LENGTH = 5;
    static final int ALERT = 21;
    static final int APPLICATION_DATA = 23;
    static final int MAX_TLS13_ALERT_RECORD = 64;

    /** Bytes of the current record's body still to come in later reads. */
    private int bodyLeft;
    /** A record header cut by the end of a read: its bytes so far. */
    private final byte[] header = new byte[HEADER_LENGTH];
    private int headerFill;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || !in.isReadable()) {
            ctx.fireChannelRead(msg);
            return;
        }
        int lastRecord = follow(in);
        if (lastRecord <= in.readerIndex()) {
            ctx.fireChannelRead(in);
            return;
        }
        try {
            ctx.fireChannelRead(in.retainedSlice(in.readerIndex(), lastRecord - in.readerIndex()));
            ctx.fireChannelReadComplete(); // the replies so far go out before the close_notify is unwrapped
            ctx.fireChannelRead(in.retainedSlice(lastRecord, in.writerIndex() - lastRecord));
        } finally {
            in.release();
        }
    }

    /**
     * Follows the record headers through {@code in}; returns where its last record starts when that record
     * may be a close_notify and ends exactly at the end of {@code in}, else -1.
     */
    int follow(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int last = -1;
        int lastType = 0;
        int lastLength = 0;
        while (i < end) {
            if (bodyLeft > 0) {
                int n = Math.min(bodyLeft, end - i);
                i += n;
                bodyLeft -= n;
                continue;
            }
            int start = i - headerFill; // a header begun in an earlier read starts before this one
            while (headerFill < HEADER_LENGTH && i < end) {
                header[headerFill++] = in.getByte(i++);
            }
            if (headerFill < HEADER_LENGTH) {
                return -1; // the read ends inside a header
            }
            headerFill = 0;
            last = start;
            lastType = header[0] & 0xff;
            lastLength = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            bodyLeft = lastLength;
        }
        boolean complete = bodyLeft == 0 && headerFill == 0;
        boolean mayBeCloseNotify = lastType == ALERT
                || lastType == APPLICATION_DATA && lastLength <= MAX_TLS13_ALERT_RECORD;
        return complete && mayBeCloseNotify ? last : -1;
    }
}
