package io.echoack.benchmarks;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.stream.StreamServerInitializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
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
 * The server's whole per-connection stream pipeline (decoder, responder, backpressure, half-close, errors)
 * answering one read of {@value #MESSAGES_PER_READ} pipelined 64-byte messages, per endpoint setting.
 * Reported per message; the socket write itself is not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class ResponderBenchmark {

    static final int MESSAGES_PER_READ = 16;

    @Param({"tcp://:1?mode=ack&framing=line", "tcp://:1?mode=echo&framing=line",
            "tcp://:1?mode=ack&framing=length", "tcp://:1?mode=echo&framing=length"})
    public String endpoint;

    private EmbeddedChannel channel;
    private ByteBuf read;

    @Setup(Level.Trial)
    public void setUp() {
        // The pipeline the server builds with its defaults, gates included.
        ListenerContext listener = new ListenerContexts(ServerConfig.defaults(), new ServerMetrics(), null,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), null, new RefusalWarnings())
                .forEndpoint(Endpoint.parse(endpoint));
        ListenerSpec spec = listener.spec();
        channel = new EmbeddedChannel(new StreamServerInitializer(listener));
        byte[] message = new byte[64];
        java.util.Arrays.fill(message, (byte) 'x');
        byte[] frame = spec.framing().frame(message);
        read = PooledByteBufAllocator.DEFAULT.directBuffer(frame.length * MESSAGES_PER_READ);
        for (int i = 0; i < MESSAGES_PER_READ; i++) {
            read.writeBytes(frame);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        read.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES_PER_READ)
    public void answerOneRead(Blackhole bh) {
        channel.writeInbound(read.retainedDuplicate());
        Object out;
        while ((out = channel.readOutbound()) != null) {
            bh.consume(out);
            ((ByteBuf) out).release();
        }
    }
}
