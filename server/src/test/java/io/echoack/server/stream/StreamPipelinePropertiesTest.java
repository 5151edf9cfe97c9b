package io.echoack.server.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.config.ListenerSpec;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.testing.ReplyModel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The whole stream pipeline of one connection (decoder, responder, error and half-close handling, as
 * {@link StreamServerInitializer} builds it) over generated input: valid messages, long lines, length
 * prefixes of 0, negative and {@code Integer.MAX_VALUE}, and random garbage, split into random reads, with
 * or without a half-close at the end. Whatever arrives, nothing is thrown out of the pipeline, nothing
 * leaks (each input buffer is released; the class runs under the paranoid leak guard), and after every read
 * the connection has sent exactly the replies {@link ReplyModel} predicts, and is open, unless the model
 * says the server closes (a length prefix above the maximum, or the end of input): then it is closed.
 * The codec-level properties are in common's {@code FramingPropertiesTest}.
 */
class StreamPipelinePropertiesTest {

    private static final int MAX = 32;
    private final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1, 3)),
                Tuple.of(3, Arbitraries.integers().between(1, 3 * MAX)))
                .list().ofMaxSize(40);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static Arbitrary<byte[]> bytes(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    /** Lines of any length around the maximum, with \n or \r\n, lone \r, and raw bytes. */
    @Provide
    Arbitrary<byte[]> lineStream() {
        Arbitrary<byte[]> content = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of((byte) '\r')),
                Tuple.of(8, Arbitraries.bytes().filter(b -> b != '\n'))).array(byte[].class).ofMaxSize(2 * MAX + 2);
        Arbitrary<byte[]> ending = Arbitraries.of(new byte[] {'\n'}, new byte[] {'\r', '\n'}, new byte[0]);
        Arbitrary<byte[]> line = Combinators.combine(content, ending).as((c, e) -> concat(List.of(c, e)));
        Arbitrary<byte[]> nearMax = Combinators.combine(Arbitraries.integers().between(MAX - 1, MAX + 2), ending)
                .as((n, e) -> concat(List.of("x".repeat(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII), e)));
        return Arbitraries.oneOf(line, nearMax, bytes(8)).list().ofMaxSize(12)
                .map(StreamPipelinePropertiesTest::concat);
    }

    /** Valid frames, frames with any prefix (0, negative, max int, just above the maximum), and garbage. */
    @Provide
    Arbitrary<byte[]> lengthStream() {
        Arbitrary<byte[]> valid = bytes(MAX).map(Framing.LENGTH::frame);
        Arbitrary<Integer> prefixes = Arbitraries.oneOf(
                Arbitraries.of(0, MAX, MAX + 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE), Arbitraries.integers());
        Arbitrary<byte[]> anyPrefix = Combinators.combine(prefixes, bytes(2 * MAX))
                .as((p, body) -> concat(List.of(intBytes(p), body)));
        return Arbitraries.frequencyOf(Tuple.of(6, valid), Tuple.of(1, anyPrefix), Tuple.of(1, bytes(7)))
                .list().ofMaxSize(10).map(StreamPipelinePropertiesTest::concat);
    }

    @Provide
    Arbitrary<Framing> framings() {
        return Arbitraries.of(Framing.LINE, Framing.LENGTH);
    }

    @Property(tries = 400)
    void lineConnectionsAnswerAsTheModelSays(@ForAll("lineStream") byte[] input, @ForAll("chunks") List<Integer> chunks,
                                             @ForAll ReplyMode mode, @ForAll boolean halfClose) {
        check(Framing.LINE, mode, input, chunks, halfClose);
    }

    @Property(tries = 400)
    void lengthConnectionsAnswerAsTheModelSaysOrCloseCleanly(@ForAll("lengthStream") byte[] input,
                                                            @ForAll("chunks") List<Integer> chunks,
                                                            @ForAll ReplyMode mode, @ForAll boolean halfClose) {
        check(Framing.LENGTH, mode, input, chunks, halfClose);
    }

    private void check(Framing framing, ReplyMode mode, byte[] input, List<Integer> chunks, boolean halfClose) {
        ServerConfig config = ServerConfig.defaults().withMaxFrameLength(MAX);
        ListenerSpec spec = ListenerSpec.of(Endpoint.parse("tcp://:1?mode=" + mode.id()
                + "&framing=" + framing.id()), config);
        EmbeddedChannel ch = new EmbeddedChannel(new StreamServerInitializer(spec, new ServerMetrics().listener("p"),
                group, null));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ReplyModel model = new ReplyModel(framing, mode, MAX, config.ackText(), expected::writeBytes);
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        List<ByteBuf> sent = new ArrayList<>();
        int pos = 0;
        int c = 0;
        while (pos < input.length && ch.isOpen()) {
            int n = chunks.isEmpty() ? input.length - pos
                    : Math.min(chunks.get(c++ % chunks.size()), input.length - pos);
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(input, pos, n);
            sent.add(chunk);
            ch.writeInbound(chunk); // throws if anything escaped the pipeline
            ch.runPendingTasks();
            model.sent(input, pos, n);
            pos += n;
            drain(ch, actual);
            assertArrayEquals(expected.toByteArray(), actual.toByteArray(), "replies after " + pos + " bytes");
            assertEquals(!model.closes(), ch.isOpen(), "open unless a too-long length prefix was read");
        }
        if (halfClose && ch.isOpen()) {
            ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            ch.pipeline().fireChannelReadComplete();
            ch.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
            ch.runPendingTasks();
            model.endOfInput();
            drain(ch, actual);
            assertArrayEquals(expected.toByteArray(), actual.toByteArray(), "replies after the half-close");
            assertFalse(ch.isOpen(), "closed once the replies were sent");
        }
        ch.checkException();
        ch.finishAndReleaseAll();
        for (ByteBuf chunk : sent) {
            assertEquals(0, chunk.refCnt(), "the pipeline released its input");
        }
    }

    private static void drain(EmbeddedChannel ch, ByteArrayOutputStream into) {
        ByteBuf out;
        while ((out = ch.readOutbound()) != null) {
            into.writeBytes(ByteBufUtil.getBytes(out));
            out.release();
        }
    }
}
