package io.echoack.client.bench;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.codec.Framing;
import io.echoack.common.text.FieldMessage;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

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
 * can no longer be cut into replies.
 *
 * <p>To show a wrong reply ({@link #lastReply()}), the reader keeps the bytes of the current reply from where
 * it first differs from the expected one (or goes past its end), up to {@link ReplySample#SHOWN_BYTES}: the
 * bytes before that point are the expected ones. A correct reply costs nothing more. One reader per
 * connection; not thread-safe.
 *
 * <p>A reader that captures (identity replies, whose content is read rather than compared) keeps each reply's
 * bytes, up to the max frame length, for {@link #capturedReply()}.
 */
final class StreamReplyReader {

    /** Receives each reply as soon as its last byte arrived. */
    interface ReplySink {
        /**
         * One reply ended; {@code valid} says whether it was the expected one. Until this returns, the
         * reader's {@link #lastReply()} shows that reply.
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
    private final byte[] expected;
    /** Where the received bytes are copied to compare them with {@link #expected} ({@link ByteCompare}). */
    private final byte[] scratch;
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
     * Where the current reply first differed from the expected one or went past its end, or -1 while it
     * matches so far; the reply's bytes from there on are kept in {@link #tail}, as many as fit.
     */
    private int deviation = -1;
    private final byte[] tail = new byte[ReplySample.SHOWN_BYTES];
    private int tailLength;
    /** The current reply's bytes when capturing, else null. */
    private final byte[] captured;

    /**
     * @param expected       the expected reply content, or null to accept any reply
     * @param rawLength      with raw framing, the length of one reply
     * @param maxFrameLength the longest reply content accepted on line and length framing
     */
    StreamReplyReader(Framing framing, byte[] expected, int rawLength, int maxFrameLength) {
        this(framing, expected, rawLength, maxFrameLength, false);
    }

    /** @param capture keep each reply's bytes for {@link #capturedReply()} */
    StreamReplyReader(Framing framing, byte[] expected, int rawLength, int maxFrameLength, boolean capture) {
        this.captured = capture ? new byte[framing == Framing.RAW ? rawLength : maxFrameLength + 1] : null;
        this.framing = framing;
        this.expected = expected;
        this.scratch = expected == null ? null : ByteCompare.scratch(expected.length);
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
            int expectedLength = expected == null ? position : expected.length;
            boolean valid = matching
                    && (position == expectedLength || position == expectedLength + 1 && lastByte == '\r');
            if (!replyEnded(valid, sink)) {
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
                if (expected != null && bodyLength != expected.length) {
                    matching = false;
                    deviation = 0;
                }
            }
            int n = Math.min(in.readableBytes(), bodyLength - position);
            consume(in, in.readerIndex(), n);
            in.skipBytes(n);
            if (position == bodyLength && !replyEnded(matching, sink)) {
                return STOPPED;
            }
        }
        return OK;
    }

    private int readFixed(ByteBuf in, ReplySink sink) {
        while (in.isReadable()) {
            int n = Math.min(in.readableBytes(), rawLength - position);
            consume(in, in.readerIndex(), n);
            in.skipBytes(n);
            if (position == rawLength
                    && !replyEnded(matching && (expected == null || rawLength == expected.length), sink)) {
                return STOPPED;
            }
        }
        return OK;
    }

    /** Tells the sink, then forgets the reply; false when the sink asked to stop. */
    private boolean replyEnded(boolean valid, ReplySink sink) {
        boolean more = sink.reply(valid);
        resetReply();
        return more;
    }

    /** Compares {@code length} bytes of the current reply, at {@code offset} in {@code in}, with the expected ones. */
    private void consume(ByteBuf in, int offset, int length) {
        if (length <= 0) {
            return;
        }
        if (captured != null && position < captured.length) {
            in.getBytes(offset, captured, position, Math.min(length, captured.length - position));
        }
        if (expected != null) {
            if (deviation >= 0) {
                keep(in, offset, length);
            } else {
                int comparable = Math.max(0, Math.min(length, expected.length - position));
                if (comparable > 0 && !ByteCompare.equal(in, offset, expected, position, comparable, scratch)) {
                    matching = false;
                    deviation = position;
                    keep(in, offset, length);
                } else if (length > comparable) {
                    // bytes past the expected length: judged when the reply ends, kept to show it
                    deviation = position + comparable;
                    keep(in, offset + comparable, length - comparable);
                }
            }
        }
        position += length;
        lastByte = in.getByte(offset + length - 1);
    }

    private void keep(ByteBuf in, int offset, int length) {
        int n = Math.min(length, tail.length - tailLength);
        if (n > 0) {
            in.getBytes(offset, tail, tailLength, n);
            tailLength += n;
        }
    }

    /**
     * The reply that just ended, as {@link ReplySample} shows it (line framing: without its {@code \n} and a
     * {@code \r} before it); valid only while {@link ReplySink#reply} runs. Null when any reply counts and
     * the reply's bytes were therefore not kept.
     */
    String lastReply() {
        if (expected == null) {
            if (captured == null) {
                return null;
            }
            byte[] reply = capturedReply();
            return ReplySample.show(reply, Math.min(reply.length, ReplySample.SHOWN_BYTES), reply.length);
        }
        int length = position;
        boolean cr = framing == Framing.LINE && length > 0 && lastByte == '\r';
        if (cr) {
            length--;
        }
        byte[] shown = new byte[Math.min(length, ReplySample.SHOWN_BYTES)];
        int fromExpected = deviation < 0 ? Math.min(shown.length, expected.length)
                : Math.min(shown.length, deviation);
        System.arraycopy(expected, 0, shown, 0, fromExpected);
        System.arraycopy(tail, 0, shown, fromExpected, Math.min(tailLength, shown.length - fromExpected));
        return ReplySample.show(shown, shown.length, length);
    }

    /**
     * The bytes of the reply that just ended (line framing: without its {@code \n} and a {@code \r} before it),
     * when capturing; valid only while {@link ReplySink#reply} runs.
     */
    byte[] capturedReply() {
        int length = Math.min(position, captured.length);
        if (framing == Framing.LINE && length > 0 && lastByte == '\r') {
            length--;
        }
        return Arrays.copyOf(captured, length);
    }

    /**
     * What made {@link #read} return {@link #TOO_LONG}, for the report: the length framing's prefix (as a
     * number and as the text it would be, which shows a line-framed server) or the line's length; the limit
     * is named by its field ({@code maxFrameLength}).
     */
    FieldMessage tooLong() {
        if (framing == Framing.LENGTH) {
            byte[] prefix = {(byte) (bodyLength >>> 24), (byte) (bodyLength >>> 16), (byte) (bodyLength >>> 8),
                    (byte) bodyLength};
            String asText = ReplySample.show(prefix);
            return FieldMessage.of("a length prefix of " + Integer.toUnsignedString(bodyLength) + " bytes ("
                    + asText.substring(0, asText.lastIndexOf(" (")) + "), over ", field("maxFrameLength"),
                    " " + maxFrameLength);
        }
        return FieldMessage.of("a line of more than " + maxFrameLength + " bytes (", field("maxFrameLength"), ")");
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
        deviation = -1;
        tailLength = 0;
    }
}
