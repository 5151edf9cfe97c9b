package io.echoack.client.net;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Datagrams;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import java.io.FileNotFoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The client options resolved for one endpoint: what one connection's handlers need to frame requests,
 * find reply boundaries and time out.
 *
 * @param ackLength the expected ack's length in bytes, or -1 when unknown (raw framing then takes a read)
 */
record ExchangeSettings(Endpoint endpoint, ReplyMode mode, Optional<Framing> framing, Duration timeout,
                        int retries, int maxFrameLength, int ackLength) {

    private static final byte[] ERROR_PREFIX = ErrorReplyException.PREFIX.getBytes(StandardCharsets.US_ASCII);

    static ExchangeSettings resolve(Endpoint endpoint, ClientOptions options) {
        int ackLength = options.ackText().map(t -> t.getBytes(StandardCharsets.UTF_8).length).orElse(-1);
        return new ExchangeSettings(endpoint, options.modeFor(endpoint), options.framingFor(endpoint),
                options.timeout(), endpoint.kind().isDatagram() ? options.retries() : 0,
                options.maxFrameLength(), ackLength);
    }

    /** Attempts per request: 1 on streams, 1 + retries on datagrams. */
    int maxAttempts() {
        return 1 + retries;
    }

    /**
     * Where the reply to {@code payload} ends on a raw stream: its length in echo mode, the ack's length when
     * known, else -1 (the first read is the reply).
     */
    int rawReplyLength(byte[] payload) {
        return mode == ReplyMode.ECHO ? payload.length : ackLength;
    }

    /** The failure for a reply longer than the max frame length, naming the setting to raise. */
    InvalidReplyException replyTooLong(Throwable cause) {
        return new InvalidReplyException(endpoint, FieldMessage.of(endpoint.address() + " sent a reply longer than "
                + "the max frame length of " + maxFrameLength + " bytes: raise it with ", field("maxFrameLength")),
                cause);
    }

    /**
     * True when {@code reply}, the reply to {@code payload} without its framing, is the echo of the message:
     * the same bytes. With line framing the server reads {@code payload} and the {@code \n} after it as one
     * line, which it may return with {@code \n} or {@code \r\n} (both stripped from the reply), so a
     * payload that ends in {@code \r} is echoed by that line without the {@code \r}.
     */
    boolean isEcho(byte[] payload, byte[] reply) {
        if (framing.orElse(null) == Framing.LINE && payload.length == reply.length + 1
                && payload[reply.length] == '\r') {
            return Arrays.equals(payload, 0, reply.length, reply, 0, reply.length);
        }
        return Arrays.equals(payload, reply);
    }

    /** The failure for a reply that came in echo mode but is not the echo of {@code payload}, quoting it. */
    InvalidReplyException notTheEcho(byte[] payload, byte[] reply) {
        return new InvalidReplyException(endpoint, endpoint.address() + " answered " + ReplyText.quote(reply)
                + ", not the echo of the message sent (" + payload.length + " bytes)", null);
    }

    /**
     * True when {@code reply}, the reply to {@code payload}, is a server's error line instead of a reply: with
     * line framing, a reply that starts with {@value ErrorReplyException#PREFIX} and is not the echo of the
     * message itself.
     */
    boolean isErrorReply(byte[] payload, byte[] reply) {
        if (framing.orElse(null) != Framing.LINE || reply.length < ERROR_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < ERROR_PREFIX.length; i++) {
            if (reply[i] != ERROR_PREFIX[i]) {
                return false;
            }
        }
        return !(mode == ReplyMode.ECHO && isEcho(payload, reply));
    }

    /**
     * The typed failure for a request that could not be written: the handler's own reason when it refused
     * the write, {@link ConnectionRefusedException} for a Unix datagram socket path nobody listens on,
     * else {@link ConnectionClosedException} (streams) or the plain base exception (datagrams).
     */
    EchoAckClientException sendFailure(Throwable cause) {
        if (cause instanceof EchoAckClientException known) {
            return known;
        }
        String detail = cause instanceof ClosedChannelException // Netty's has no message, only a class name
                ? "the connection was closed (by the server, or the path to it) before the message was sent"
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (endpoint.kind().isDatagram() && endpoint.kind().isUnixDomain()
                && (cause instanceof FileNotFoundException || detail.contains("No such file")
                        || detail.contains("refused"))) {
            return new ConnectionRefusedException(endpoint, "no server socket at " + endpoint.path(), cause);
        }
        String message = "could not send to " + endpoint.address() + ": " + detail;
        return endpoint.kind().isStream()
                ? new ConnectionClosedException(endpoint, message, cause)
                : new EchoAckClientException(endpoint, message, cause);
    }

    /**
     * Rejects a payload that cannot be sent as one message here.
     *
     * @throws IllegalArgumentException saying why
     */
    void checkPayload(byte[] payload) {
        if (payload.length > maxFrameLength) {
            throw new InvalidFieldException(FieldMessage.of("message of " + payload.length + " bytes exceeds the max "
                    + "frame length of " + maxFrameLength + " bytes: raise it with ", field("maxFrameLength"),
                    " (the server must accept as much)"));
        }
        if (framing.isEmpty()) {
            if (endpoint.kind().isUnixDomain() || payload.length <= Datagrams.MAX_PAYLOAD_BYTES) {
                return;
            }
            throw new IllegalArgumentException("message of " + payload.length + " bytes does not fit in a UDP "
                    + "datagram (max " + Datagrams.MAX_PAYLOAD_BYTES + ")");
        }
        switch (framing.get()) {
            case LINE -> {
                for (byte b : payload) {
                    if (b == '\n') {
                        throw new InvalidFieldException(FieldMessage.of("a message sent with line framing must "
                                + "not contain a newline; send each line as its own message, or use ",
                                field("framing"), " length"));
                    }
                }
            }
            case RAW -> {
                if (payload.length == 0) {
                    throw new IllegalArgumentException("an empty message cannot be sent with raw framing: "
                            + "the server would never see it");
                }
            }
            case LENGTH -> {
                // every payload fits a 4-byte length prefix once it is within maxFrameLength
            }
        }
    }
}
