package io.echoack.server.testing;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * What an echoack stream connection (line or length framing, echo, ack or info mode) must send back for a byte
 * stream, worked out byte by byte without Netty, from the README's wire behaviour: one reply per message, in
 * order; a line longer than the maximum gets {@code ERROR: message longer than N bytes} and the connection
 * goes on; a length prefix above the maximum (read unsigned: a negative int is above 2 GiB) gets no reply and
 * the server closes; at end of input (half-close) a last unterminated line still gets its reply, a partial
 * length frame none. Replies do not depend on how the stream was split into reads, and each is due as soon
 * as the bytes fed so far determine it (the error for a long line as soon as it is too long, before its
 * {@code \n}), as the server sends it. In info mode each message's reply is the one for its number (from 1;
 * the error replies to long lines are not numbered). The sink gets shared arrays for acks and errors: it must
 * not change them.
 */
public final class ReplyModel {

    /** Receives each expected reply, as wire bytes, in order. */
    @FunctionalInterface
    public interface Sink {
        void reply(byte[] wire);
    }

    private final Framing framing;
    private final boolean echo;
    private final int max;
    private final byte[] ack;
    private final LongFunction<byte[]> info;
    private long seq;
    private final byte[] tooLong;
    private final Sink sink;

    // line framing: the current line (stored up to max + 1 bytes: a line of max bytes plus its \r)
    private final byte[] line;
    private int stored;
    private long lineBytes;
    private byte lastByte;
    private boolean lineAnswered; // the current line is too long and got its error reply already

    // length framing: the current frame, prefix included
    private final byte[] frame;
    private int framePos;
    private long bodyLeft;
    private boolean closes;

    /**
     * @param framing line or length
     * @param mode    echo or ack
     * @param max     the server's max frame length
     * @param ackText the stream ack text (framed here)
     * @param sink    gets every expected reply
     */
    public ReplyModel(Framing framing, ReplyMode mode, int max, String ackText, Sink sink) {
        this(framing, mode, max, ackText, null, sink);
    }

    /**
     * @param info in info mode, the reply payload (unframed) to message number {@code seq}; null otherwise
     */
    public ReplyModel(Framing framing, ReplyMode mode, int max, String ackText, LongFunction<byte[]> info,
                      Sink sink) {
        if ((mode == ReplyMode.INFO) != (info != null)) {
            throw new IllegalArgumentException("info mode needs its replies, and only info mode");
        }
        this.info = info;
        if (!framing.delimitsMessages()) {
            throw new IllegalArgumentException("raw framing has no messages to model");
        }
        this.framing = framing;
        this.echo = mode == ReplyMode.ECHO;
        this.max = max;
        this.ack = framing.frame(ackText.getBytes(StandardCharsets.UTF_8));
        this.tooLong = Framing.LINE.frame("ERROR: message longer than " + max + " bytes");
        this.sink = sink;
        this.line = framing == Framing.LINE ? new byte[max + 1] : new byte[0];
        this.frame = framing == Framing.LENGTH ? new byte[Framing.LENGTH_PREFIX_BYTES + max] : new byte[0];
    }

    /** The ack as it appears on the wire for this framing. */
    public byte[] ackFrame() {
        return ack.clone();
    }

    /** The reply to a line longer than the maximum. */
    public byte[] tooLongFrame() {
        return tooLong.clone();
    }

    /** Feeds bytes the client sent. */
    public void sent(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (framing == Framing.LINE) {
                lineByte(bytes[i]);
            } else {
                lengthByte(bytes[i]);
            }
        }
    }

    /** Feeds bytes the client sent. */
    public void sent(byte[] bytes) {
        sent(bytes, 0, bytes.length);
    }

    /** The client shut down its output: a last unterminated line is a message; a partial frame is dropped. */
    public void endOfInput() {
        if (framing == Framing.LINE && lineBytes > 0 && !lineAnswered) {
            sink.reply(lineBytes <= max ? (echo ? Arrays.copyOf(line, stored) : answer()) : tooLong);
        }
        stored = 0;
        lineBytes = 0;
        lineAnswered = false;
        framePos = 0;
        bodyLeft = 0;
    }

    /** True once a length prefix above the maximum was sent: the server answers nothing more and closes. */
    public boolean closes() {
        return closes;
    }

    /** True while a message has begun but not ended (the frame timeout runs on the server). */
    public boolean midMessage() {
        return framing == Framing.LINE ? lineBytes > 0 : !closes && framePos > 0;
    }

    /** The reply to a message in ack or info mode. */
    private byte[] answer() {
        return info == null ? ack : framing.frame(info.apply(++seq));
    }

    private void lineByte(byte b) {
        if (b == '\n') {
            if (!lineAnswered) {
                long content = lineBytes - (lineBytes > 0 && lastByte == '\r' ? 1 : 0);
                if (content <= max) {
                    if (echo) {
                        byte[] wire = Arrays.copyOf(line, stored + 1);
                        wire[stored] = '\n';
                        sink.reply(wire);
                    } else {
                        sink.reply(answer());
                    }
                } else {
                    sink.reply(tooLong);
                }
            }
            stored = 0;
            lineBytes = 0;
            lineAnswered = false;
            return;
        }
        if (stored < line.length) {
            line[stored++] = b;
        }
        lineBytes++;
        lastByte = b;
        // Fail fast, as the server does: the error goes out as soon as the line is known to be too long,
        // before its end arrives. Only a \r right after max bytes may still be the start of a \r\n.
        if (!lineAnswered && lineBytes > max && !(lineBytes == max + 1 && b == '\r')) {
            lineAnswered = true;
            sink.reply(tooLong);
        }
    }

    private void lengthByte(byte b) {
        if (closes) {
            return; // discarded: the server is closing
        }
        frame[framePos++] = b;
        if (framePos < Framing.LENGTH_PREFIX_BYTES) {
            return;
        }
        if (framePos == Framing.LENGTH_PREFIX_BYTES) {
            long length = ((frame[0] & 0xffL) << 24) | ((frame[1] & 0xff) << 16) | ((frame[2] & 0xff) << 8)
                    | (frame[3] & 0xff);
            if (length > max) {
                closes = true;
                framePos = 0;
                return;
            }
            bodyLeft = length;
        } else {
            bodyLeft--;
        }
        if (bodyLeft == 0) {
            sink.reply(echo ? Arrays.copyOf(frame, framePos) : answer());
            framePos = 0;
        }
    }
}
