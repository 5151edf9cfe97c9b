package io.echoack.common.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.util.List;

/**
 * Splits a stream into lines, keeping each line's terminator so that it can be echoed byte for byte.
 * Unlike Netty's {@link LineBasedFrameDecoder} alone, a last line that the peer sent without a terminator
 * before closing its output is still delivered as a message, not dropped.
 */
final class LineFrameDecoder extends LineBasedFrameDecoder {

    private final int maxLength;
    private boolean inputClosed;

    LineFrameDecoder(int maxLength) {
        super(maxLength, false, true);
        this.maxLength = maxLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        // A line of exactly the maximum length ending in \r\n, with a read boundary between \r and \n:
        // Netty's decoder would count the \r as content and fail the line as too long. Wait for the next
        // byte instead, so that whether a line is accepted never depends on how TCP split the stream.
        if (!inputClosed && buffer.readableBytes() == maxLength + 1 && buffer.getByte(buffer.writerIndex() - 1) == '\r'
                && buffer.indexOf(buffer.readerIndex(), buffer.writerIndex(), (byte) '\n') < 0) {
            return null;
        }
        return super.decode(ctx, buffer);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        inputClosed = true; // no \n can follow a trailing \r any more
        super.decodeLast(ctx, in, out);
        // What is left has no terminator. If it fits, it is the peer's last message. A longer rest was
        // already reported as too long by decode() (fail fast) and is being discarded.
        int rest = in.readableBytes();
        if (rest > 0 && rest <= maxLength && in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n') < 0) {
            out.add(in.readRetainedSlice(rest));
        }
    }
}
