package io.echoack.client.bench;

import io.echoack.common.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Cuts the bytes a stream connection receives into replies and checks each one against the expected reply,
 * as the bytes arrive: nothing is copied or accumulated, so a reply split over many reads costs nothing
 * extra. Where a reply ends follows the framing:
 *
 * <ul>
 *   <li>line: at {@code \n}; the reply (without {@code \n}, and without one {@code \r} before it) must equal
 *       the expected text;</li>
 *   <li>length: after a 4-byte big-endian length and that many bytes, which must equal the expected text;</li>
 *   <li>raw: after a fixed number of bytes (the message's length when echoing, else the ack text's).</li>
 * </ul>
 *
 * A reply longer than the max frame length (line) or announcing one (length) is a protocol error: the stream
 * can no longer be cut into replies. One reader per connection; not thread-safe.
 */
final class StreamReplyReader {

    /** Receives each reply as soon as its last byte arrived. */
    interface ReplySink {
        /**
         * One reply ended; {@code valid} says whether it was the expected one.
         *
         * @return false to stop reading (the connection is being closed)
         */
        boolean reply(boolean valid);
    }

    /** {@link #read}: every byte was consumed (a reply may still be partial). */
    static final int OK = 0;
    /** {@link #read}: the sink asked to stop. */
    static final int STOPPED = 1;
    /** {@link #read}: a reply is longer than the max frame length; the stream cannot be read on. */
    static final int TOO_LONG = 2;

    private final Framing framing;
    /** What a reply must contain (without framing), or null when any reply counts. */
    private final ByteBuf expected;
    private final int rawLength;
    private final int maxFrameLength;

    /** Bytes of the current reply's content seen so far. */
    private int position;
    /** False once the current reply differed from the expected one. */
    private boolean matching = true;
    private byte lastByte;
    /** Length framing: prefix bytes read so far, and the length they give. */
    private int prefixBytes;
    private int bodyLength;

    /**
     * @param expected       the expected reply content, or null to accept any reply
     * @param rawLength      with raw framing, the length of one reply
     * @param maxFrameLength the longest reply content accepted on line and length framing
     */
    StreamReplyReader(Framing framing, byte[] expected, int rawLength, int maxFrameLength) {
        this.framing = framing;
        this.expected = expected == null ? null : Unpooled.wrappedBuffer(expected);
        this.rawLength = rawLength;
        this.maxFrameLength = maxFrameLength;
        if (framing == Framing.RAW && rawLength <= 0) {
            throw new IllegalArgumentException("raw framing needs a reply length");
        }
    }

    /** Reads every readable byte of {@code in}, reporting each reply that ends to {@code sink}. */
    int read(ByteBuf in, ReplySink sink) {
        return switch (framing) {
            case LINE -> readLines(in, sink);
            case LENGTH -> readLengthFrames(in, sink);
            case RAW -> readFixed(in, sink);
        };
    }

    private int readLines(ByteBuf in, ReplySink sink) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int newline = in.indexOf(start, end, (byte) '\n');
            int contentEnd = newline < 0 ? end : newline;
            consume(in, start, contentEnd - start);
            if (position > maxFrameLength + 1) { // + 1: a \r before the \n
                return TOO_LONG;
            }
            if (newline < 0) {
                in.readerIndex(end);
                return OK;
            }
            in.readerIndex(newline + 1);
            int expectedLength = expected == null ? position : expected.readableBytes();
            boolean valid = matching
                    && (position == expectedLength || position == expectedLength + 1 && lastByte == '\r');
            resetReply();
            if (!sink.reply(valid)) {
                return STOPPED;
            }
        }
        return OK;
    }

    private int readLengthFrames(ByteBuf in, ReplySink sink) {
        while (in.isReadable()) {
            if (prefixBytes < 4) {
                bodyLength = bodyLength << 8 | in.readUnsignedByte();
                if (++prefixBytes < 4) {
                    continue;
                }
                if (bodyLength < 0 || bodyLength > maxFrameLength) {
                    return TOO_LONG;
                }
                if (expected != null && bodyLength != expected.readableBytes()) {
                    matching = false;
                }
            }
            int n = Math.min(in.readableBytes(), bodyLength - position);
            consume(in, in.readerIndex(), n);
            in.skipBytes(n);
            if (position == bodyLength) {
                boolean valid = matching;
                resetReply();
                if (!sink.reply(valid)) {
                    return STOPPED;
                }
            }
        }
        return OK;
    }

    private int readFixed(ByteBuf in, ReplySink sink) {
        while (in.isReadable()) {
            int n = Math.min(in.readableBytes(), rawLength - position);
            consume(in, in.readerIndex(), n);
            in.skipBytes(n);
            if (position == rawLength) {
                boolean valid = matching && (expected == null || rawLength == expected.readableBytes());
                resetReply();
                if (!sink.reply(valid)) {
                    return STOPPED;
                }
            }
        }
        return OK;
    }

    /** Compares {@code length} bytes of the current reply, at {@code offset} in {@code in}, with the expected ones. */
    private void consume(ByteBuf in, int offset, int length) {
        if (length <= 0) {
            return;
        }
        if (expected != null && matching) {
            int comparable = Math.min(length, expected.readableBytes() - position);
            if (comparable > 0 && !ByteBufUtil.equals(in, offset, expected, position, comparable)) {
                matching = false;
            }
            // bytes past the expected length are judged when the reply ends
        }
        position += length;
        lastByte = in.getByte(offset + length - 1);
    }

    /** Forgets any partial reply: for a reader reused on a new connection. */
    void reset() {
        resetReply();
    }

    private void resetReply() {
        position = 0;
        matching = true;
        lastByte = 0;
        prefixBytes = 0;
        bodyLength = 0;
    }
}
