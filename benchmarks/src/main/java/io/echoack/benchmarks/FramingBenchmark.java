package io.echoack.benchmarks;

import io.echoack.common.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding a read that holds {@value #MESSAGES_PER_READ} pipelined messages into frames, and framing
 * outgoing payloads, per framing and payload size. Reported per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class FramingBenchmark {

    static final int MESSAGES_PER_READ = 16;

    @Param({"LINE", "LENGTH"})
    public Framing framing;

    @Param({"64", "1024"})
    public int size;

    private EmbeddedChannel decoderChannel;
    private EmbeddedChannel encoderChannel;
    private ByteBuf read;
    private ByteBuf payload;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] message = new byte[size];
        java.util.Arrays.fill(message, (byte) 'x');
        byte[] frame = framing.frame(message);
        read = PooledByteBufAllocator.DEFAULT.directBuffer(frame.length * MESSAGES_PER_READ);
        for (int i = 0; i < MESSAGES_PER_READ; i++) {
            read.writeBytes(frame);
        }
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(message);
        decoderChannel = new EmbeddedChannel(framing.newDecoder(64 * 1024));
        encoderChannel = new EmbeddedChannel(framing.encoder());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        read.release();
        payload.release();
        decoderChannel.finishAndReleaseAll();
        encoderChannel.finishAndReleaseAll();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES_PER_READ)
    public void decode(Blackhole bh) {
        decoderChannel.writeInbound(read.retainedDuplicate());
        Object frame;
        while ((frame = decoderChannel.readInbound()) != null) {
            ByteBuf buf = (ByteBuf) frame;
            bh.consume(framing.payload(buf).readableBytes());
            buf.release();
        }
    }

    @Benchmark
    public void encode(Blackhole bh) {
        encoderChannel.writeOutbound(payload.retainedDuplicate());
        Object out;
        while ((out = encoderChannel.readOutbound()) != null) {
            bh.consume(out);
            ((ByteBuf) out).release();
        }
    }
}
