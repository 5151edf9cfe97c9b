package io.echoack.common.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a stream decoder ({@link Framing#newDecoder}) over one input and checks it against a model worked out
 * without Netty; shared by {@link FramingPropertiesTest} (generated input) and {@link FramingDecoderFuzzTest}
 * (coverage-guided input). Whatever the input, nothing may escape the pipeline, errors may only reach
 * {@code exceptionCaught} as {@link DecoderException}s, and the decoder must release every buffer it was given.
 */
final class DecoderHarness {

    private DecoderHarness() {
    }

    /** What came out of a decoder for one input. */
    record Outcome(List<byte[]> frames, List<byte[]> payloads, List<Throwable> errors) {
    }

    /** Records frames (copied, then released) and errors, as the handlers after a decoder see them. */
    private static final class Capture extends ChannelInboundHandlerAdapter {
        private final Framing framing;
        final List<byte[]> frames = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        Capture(Framing framing) {
            this.framing = framing;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf frame = (ByteBuf) msg;
                frames.add(ByteBufUtil.getBytes(frame));
                payloads.add(ByteBufUtil.getBytes(framing.payload(frame)));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    /**
     * Feeds {@code input} to a new decoder in reads of the given sizes (cycled; one read of everything when
     * the list is empty), then closes the channel (end of stream). Checks that nothing escapes the pipeline,
     * that errors are decode errors, and that every buffer was released.
     */
    static Outcome decode(Framing framing, int max, byte[] input, List<Integer> readSizes) {
        Capture capture = new Capture(framing);
        EmbeddedChannel ch = new EmbeddedChannel(framing.newDecoder(max), capture);
        List<ByteBuf> sent = new ArrayList<>();
        int pos = 0;
        int r = 0;
        while (pos < input.length) {
            int n = readSizes.isEmpty() ? input.length - pos
                    : Math.min(readSizes.get(r++ % readSizes.size()), input.length - pos);
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(input, pos, n);
            sent.add(chunk);
            ch.writeInbound(chunk); // throws if an exception escaped the pipeline
            pos += n;
        }
        assertFalse(ch.finish(), "every frame was consumed by the capture");
        for (ByteBuf chunk : sent) {
            assertEquals(0, chunk.refCnt(), "the decoder released its input");
        }
        for (Throwable e : capture.errors) {
            assertInstanceOf(DecoderException.class, e, "only decode errors, and only through exceptionCaught");
        }
        return new Outcome(capture.frames, capture.payloads, capture.errors);
    }

    static void assertFrames(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
    }

    /**
     * Any bytes, any reads: the line decoder emits exactly the lines a simple model predicts (each line of
     * at most max bytes before its terminator, and a last unterminated line at end of stream) and one
     * {@link TooLongFrameException} per longer line; then it goes on with the next line. Whether a line is
     * accepted never depends on the reads.
     */
    static void assertLineDecoderMatchesModel(byte[] input, List<Integer> readSizes, int max) {
        Outcome out = decode(Framing.LINE, max, input, readSizes);
        List<byte[]> expected = new ArrayList<>();
        int tooLong = 0;
        int start = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n') {
                int contentEnd = i > start && input[i - 1] == '\r' ? i - 1 : i;
                if (contentEnd - start <= max) {
                    expected.add(Arrays.copyOfRange(input, start, i + 1));
                } else {
                    tooLong++;
                }
                start = i + 1;
            }
        }
        if (start < input.length) { // the last line, without terminator: delivered at end of stream if it fits
            if (input.length - start <= max) {
                expected.add(Arrays.copyOfRange(input, start, input.length));
            } else {
                tooLong++;
            }
        }
        assertFrames(expected, out.frames());
        assertEquals(tooLong, out.errors().size(), () -> "errors: " + out.errors());
        out.errors().forEach(e -> assertInstanceOf(TooLongFrameException.class, e));
        for (byte[] payload : out.payloads()) {
            assertTrue(payload.length <= max, "payload within the maximum");
        }
    }

    /**
     * Any bytes, any reads: the length decoder reads the prefix as unsigned and emits each frame whose
     * length is at most max, up to the first longer one, which fails once, fast (before its bytes arrive).
     * A frame cut short by the end of the stream is dropped silently. After a failure the server closes
     * the connection, so what follows is only required to be clean: decode errors only, nothing leaked.
     * (It is not read-independent: the failure is thrown, which ends the decoding of the bytes already
     * received until the next read.)
     */
    static void assertLengthDecoderMatchesModel(byte[] input, List<Integer> readSizes, int max) {
        Outcome out = decode(Framing.LENGTH, max, input, readSizes);
        List<byte[]> expected = new ArrayList<>();
        boolean tooLong = false;
        int pos = 0;
        while (pos + 4 <= input.length) {
            long length = ((input[pos] & 0xffL) << 24) | ((input[pos + 1] & 0xff) << 16)
                    | ((input[pos + 2] & 0xff) << 8) | (input[pos + 3] & 0xff);
            if (length > max) {
                tooLong = true;
                break;
            }
            if (pos + 4 + length > input.length) {
                break; // incomplete at end of stream
            }
            expected.add(Arrays.copyOfRange(input, pos, (int) (pos + 4 + length)));
            pos += 4 + (int) length;
        }
        if (tooLong) {
            assertFalse(out.errors().isEmpty(), "the too-long frame is reported");
            assertInstanceOf(TooLongFrameException.class, out.errors().get(0));
            assertFrames(expected, out.frames().subList(0, Math.min(expected.size(), out.frames().size())));
        } else {
            assertTrue(out.errors().isEmpty(), () -> "errors: " + out.errors());
            assertFrames(expected, out.frames());
        }
        out.errors().forEach(e -> assertInstanceOf(TooLongFrameException.class, e));
    }
}
