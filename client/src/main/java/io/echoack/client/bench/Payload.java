package io.echoack.client.bench;

import io.echoack.common.codec.Framing;
import java.util.SplittableRandom;

/**
 * The message a bench run sends, built once: its payload bytes and, on streams, its wire frame. On datagrams
 * in echo mode the first {@value #SEQUENCE_BYTES} bytes of every datagram are replaced by its sequence
 * number (big-endian), so that losses, reordering and duplicates can be told apart.
 *
 * @param message   the payload, {@code size} bytes
 * @param frame     what is written for one message: the framed payload on streams, the payload on datagrams
 * @param sequenced true when each datagram carries its sequence number in its first bytes
 */
record Payload(byte[] message, byte[] frame, boolean sequenced) {

    /** Bytes of the sequence number at the start of each datagram when sequenced. */
    static final int SEQUENCE_BYTES = 8;

    private static final byte[] PATTERN =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static Payload of(BenchConfig config) {
        byte[] message = new byte[config.size()];
        boolean printable = config.framing().orElse(null) == Framing.LINE;
        if (config.payload() == PayloadKind.PATTERN) {
            for (int i = 0; i < message.length; i++) {
                message[i] = PATTERN[i % PATTERN.length];
            }
        } else {
            SplittableRandom random = new SplittableRandom();
            for (int i = 0; i < message.length; i++) {
                // printable: '!'..'~' (no space, newline or carriage return)
                message[i] = (byte) (printable ? '!' + random.nextInt(94) : random.nextInt(256));
            }
        }
        byte[] frame = config.framing().map(f -> f.frame(message)).orElse(message);
        boolean sequenced = config.endpoint().kind().isDatagram() && config.expect().kind() == Expectation.Kind.ECHO;
        return new Payload(message, frame, sequenced);
    }
}
