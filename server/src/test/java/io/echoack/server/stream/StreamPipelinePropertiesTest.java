package io.echoack.server.stream;

import static io.echoack.common.testing.StreamInputs.anyByte;
import static io.echoack.common.testing.StreamInputs.bytes;
import static io.echoack.common.testing.StreamInputs.concat;
import static io.echoack.common.testing.StreamInputs.concatenated;
import static io.echoack.common.testing.StreamInputs.intBytes;
import static io.echoack.common.testing.StreamInputs.lengthPrefixes;
import static io.echoack.common.testing.StreamInputs.readSizes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.info.InfoLine;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.identity.InfoReplies;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.listener.ListenerContext;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The whole stream pipeline of one connection (decoder, responder, error and half-close handling, as
 * {@link StreamServerInitializer} builds it) over generated input (QuickTheories): valid messages, long lines,
 * length prefixes of 0, negative and {@code Integer.MAX_VALUE}, and random garbage, split into random reads,
 * with or without a half-close at the end. Whatever arrives, nothing is thrown out of the pipeline, nothing
 * leaks (each input buffer is released; the class runs under the paranoid leak guard), and after every read
 * the connection has sent exactly the replies {@link ReplyModel} predicts, and is open, unless the model
 * says the server closes (a length prefix above the maximum, or the end of input): then it is closed.
 * A falsified property reports the smallest input it shrank to and the seed; {@code -DQT_SEED=<seed>}
 * replays the run. The codec-level properties are in common's {@code FramingPropertiesTest}.
 */
class StreamPipelinePropertiesTest {

    private static final int MAX = 32;
    private final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private static Gen<List<Integer>> reads() {
        return readSizes(3 * MAX);
    }

    /** Lines of any length around the maximum, with \n or \r\n, lone \r, and raw bytes. */
    private static Gen<byte[]> lineStream() {
        Gen<Byte> contentByte = Generate.frequency(Pair.of(1, arbitrary().constant((byte) '\r')),
                Pair.of(8, anyByte().assuming(b -> b != '\n')));
        Gen<byte[]> ending = arbitrary().pick(List.of(new byte[] {'\n'}, new byte[] {'\r', '\n'}, new byte[0]));
        Gen<byte[]> line = bytes(contentByte, 2 * MAX + 2).zip(ending, (c, e) -> concat(c, e));
        Gen<byte[]> nearMax = integers().between(MAX - 1, MAX + 2)
                .zip(ending, (n, e) -> concat("x".repeat(n).getBytes(StandardCharsets.US_ASCII), e));
        return concatenated(Generate.oneOf(line, nearMax, bytes(8)), 12);
    }

    /** Valid frames, frames with any prefix (0, negative, max int, just above the maximum), and garbage. */
    private static Gen<byte[]> lengthStream() {
        Gen<byte[]> valid = bytes(MAX).map((byte[] payload) -> Framing.LENGTH.frame(payload));
        Gen<byte[]> anyPrefix = lengthPrefixes(MAX).zip(bytes(2 * MAX), (p, body) -> concat(intBytes(p), body));
        return concatenated(Generate.frequency(Pair.of(6, valid), Pair.of(1, anyPrefix), Pair.of(1, bytes(7))), 10);
    }

    @Test
    void lineConnectionsAnswerAsTheModelSays() {
        qt().withExamples(400).forAll(lineStream(), reads(), arbitrary().enumValues(ReplyMode.class), booleans().all())
                .checkAssert((input, reads, mode, halfClose) -> check(Framing.LINE, mode, input, reads, halfClose));
    }

    @Test
    void lengthConnectionsAnswerAsTheModelSaysOrCloseCleanly() {
        qt().withExamples(400).forAll(lengthStream(), reads(), arbitrary().enumValues(ReplyMode.class), booleans().all())
                .checkAssert((input, reads, mode, halfClose) -> check(Framing.LENGTH, mode, input, reads, halfClose));
    }

    /**
     * Found by the property tests (commit a473fb7), at the decoder: a line of exactly the maximum ending in
     * {@code \r\n} was refused as too long when a read ended between {@code \r} and {@code \n}. Here the
     * whole connection must echo it (or ack it) whatever the reads.
     */
    @Test
    void maxLengthCrlfLineSplitBetweenCrAndLfIsAnswered() {
        byte[] line = concat("x".repeat(MAX).getBytes(StandardCharsets.US_ASCII), new byte[] {'\r', '\n'});
        for (ReplyMode mode : ReplyMode.values()) {
            for (List<Integer> reads : List.of(List.of(MAX + 1, 1), List.of(1), List.<Integer>of())) {
                check(Framing.LINE, mode, line, reads, false);
                check(Framing.LINE, mode, line, reads, true);
            }
        }
    }

    /** The edge prefixes, each for certain, with a valid frame after them, with and without a half-close. */
    @ParameterizedTest
    @ValueSource(ints = {0, MAX, MAX + 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void edgeLengthPrefixesAreAnsweredAsTheModelSays(int prefix) {
        byte[] input = concat(intBytes(prefix), new byte[MAX], Framing.LENGTH.frame("next".getBytes(StandardCharsets.US_ASCII)));
        for (ReplyMode mode : ReplyMode.values()) {
            for (List<Integer> reads : List.of(List.<Integer>of(), List.of(1), List.of(3, 2))) {
                check(Framing.LENGTH, mode, input, reads, false);
                check(Framing.LENGTH, mode, input, reads, true);
            }
        }
    }

    private void check(Framing framing, ReplyMode mode, byte[] input, List<Integer> reads, boolean halfClose) {
        ServerConfig config = ServerConfig.defaults().withMaxFrameLength(MAX);
        ListenerContexts contexts = new ListenerContexts(config, new ServerMetrics(), null, group, null,
                new RefusalWarnings());
        ListenerContext listener = contexts.forEndpoint(
                Endpoint.parse("tcp://:1?mode=" + mode.id() + "&framing=" + framing.id()));
        EmbeddedChannel ch = new EmbeddedChannel(new StreamServerInitializer(listener));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        LongFunction<byte[]> info = null;
        if (mode == ReplyMode.INFO) { // what each reply says is InfoResponderTest's; here: one per message, numbered
            InfoReplies replies = new InfoReplies(listener.identity(), listener.label(), listener.spec().format());
            InfoLine connection = replies.connection(ch);
            info = seq -> replies.message(connection, seq);
        }
        ReplyModel model = new ReplyModel(framing, mode, MAX, config.ackText(), info, expected::writeBytes);
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        List<ByteBuf> sent = new ArrayList<>();
        int pos = 0;
        int r = 0;
        while (pos < input.length && ch.isOpen()) {
            int n = reads.isEmpty() ? input.length - pos
                    : Math.min(reads.get(r++ % reads.size()), input.length - pos);
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
