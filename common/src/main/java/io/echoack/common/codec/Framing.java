package io.echoack.common.codec;

import io.echoack.common.text.NamedValues;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How messages are delimited on a byte stream (TCP, Unix stream). Datagrams need none: one datagram is
 * one message.
 *
 * <p>Decoders built here emit whole <em>wire frames</em>, delimiter or length prefix included, so that an
 * echo can send a frame back untouched (no copy, same bytes on the wire) and an ack can be a frame built
 * once. {@link #payload(ByteBuf)} gives the message inside a frame.
 */
public enum Framing {
    /**
     * One message per {@code \n}-terminated line; {@code \r\n} is accepted. The max frame length counts the
     * line without its terminator. A last line without terminator is still a message when the peer closes.
     */
    LINE,
    /** Bytes as they arrive: each read is one message, as in the sockets tutorial. */
    RAW,
    /** A 4-byte big-endian length, then that many bytes. The max frame length counts the payload only. */
    LENGTH;

    /** Size of the {@link #LENGTH} prefix. */
    public static final int LENGTH_PREFIX_BYTES = 4;

    /** The lower-case name used on the command line and in endpoint query strings. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when a decoder splits the stream into messages; false for {@link #RAW}, where a read is one. */
    public boolean delimitsMessages() {
        return this != RAW;
    }

    /**
     * A new decoder for one channel (decoders are stateful: never share one) that emits wire frames whose
     * payload is at most {@code maxFrameLength} bytes and fails a longer one with a
     * {@link io.netty.handler.codec.TooLongFrameException}.
     *
     * @throws IllegalStateException for {@link #RAW}, which has no decoder
     */
    public ChannelHandler newDecoder(int maxFrameLength) {
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("maxFrameLength must be > 0, was " + maxFrameLength);
        }
        return switch (this) {
            case LINE -> new LineFrameDecoder(maxFrameLength);
            case LENGTH -> new LengthFrameDecoder(maxFrameLength);
            case RAW -> throw new IllegalStateException("raw framing has no decoder: each read is a message");
        };
    }

    /** The sharable encoder that frames outgoing payloads ({@code ByteBuf}) for this framing. */
    public ChannelHandler encoder() {
        return FrameEncoder.forFraming(this);
    }

    /**
     * The payload inside a wire frame produced by this framing's decoder: a slice sharing the frame's
     * memory and reference count (nothing is retained).
     */
    public ByteBuf payload(ByteBuf frame) {
        return switch (this) {
            case RAW -> frame;
            case LENGTH -> frame.slice(frame.readerIndex() + LENGTH_PREFIX_BYTES,
                    frame.readableBytes() - LENGTH_PREFIX_BYTES);
            case LINE -> frame.slice(frame.readerIndex(), frame.readableBytes() - terminatorLength(frame));
        };
    }

    /** Encodes one payload as a complete wire frame, as bytes (for replies built once, like acks). */
    public byte[] frame(byte[] payload) {
        return switch (this) {
            case RAW -> payload.clone();
            case LINE -> {
                byte[] out = new byte[payload.length + 1];
                System.arraycopy(payload, 0, out, 0, payload.length);
                out[payload.length] = '\n';
                yield out;
            }
            case LENGTH -> {
                byte[] out = new byte[LENGTH_PREFIX_BYTES + payload.length];
                out[0] = (byte) (payload.length >>> 24);
                out[1] = (byte) (payload.length >>> 16);
                out[2] = (byte) (payload.length >>> 8);
                out[3] = (byte) payload.length;
                System.arraycopy(payload, 0, out, LENGTH_PREFIX_BYTES, payload.length);
                yield out;
            }
        };
    }

    /** Encodes one payload as a wire frame in a new buffer from {@code alloc}; the caller owns it. */
    public ByteBuf frame(ByteBufAllocator alloc, ByteBuf payload) {
        int len = payload.readableBytes();
        return switch (this) {
            case RAW -> alloc.buffer(len).writeBytes(payload, payload.readerIndex(), len);
            case LINE -> alloc.buffer(len + 1).writeBytes(payload, payload.readerIndex(), len).writeByte('\n');
            case LENGTH -> alloc.buffer(LENGTH_PREFIX_BYTES + len).writeInt(len)
                    .writeBytes(payload, payload.readerIndex(), len);
        };
    }

    /** Convenience for text: the UTF-8 bytes of {@code text} framed. */
    public byte[] frame(String text) {
        return frame(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int terminatorLength(ByteBuf frame) {
        int end = frame.writerIndex();
        if (end > frame.readerIndex() && frame.getByte(end - 1) == '\n') {
            return end - 1 > frame.readerIndex() && frame.getByte(end - 2) == '\r' ? 2 : 1;
        }
        return 0; // last line of a stream, sent without terminator
    }

    /**
     * Parses {@code line}, {@code raw} or {@code length} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Framing parse(String text) {
        return NamedValues.parse("framing", text, values(), Framing::id);
    }

    @Override
    public String toString() {
        return id();
    }
}
