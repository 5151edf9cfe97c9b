package io.echoack.benchmarks;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.stream.StreamServerInitializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Java work of one connection of {@code bench --connect-per-message} in the server's own code: the
 * connection's pipeline built as the server builds it (with the bench suite's settings: echo, raw framing, the
 * connection limits on), one 64-byte message answered, then the close. The timeouts are off here: their sweep
 * is kept per event loop, and each {@link EmbeddedChannel} has an event loop of its own, so with them on every
 * connection would add a sweep that a server makes once per loop. {@code bare} is the
 * same on a pipeline of one echoing handler: the difference is what echoack adds per connection to Netty's own
 * channel. The socket calls, Netty's native channel and the event loop are not included (an
 * {@link EmbeddedChannel} stands in); run with {@code -prof gc} for the bytes allocated per connection, the
 * steadier figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class ConnectionBenchmark {

    @Param({"tcp://:1?mode=echo&framing=raw"})
    public String endpoint;

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private ChannelGroup connections;
    private ChannelHandler pipeline;
    private ByteBuf message;

    @Setup(Level.Trial)
    public void setUp() {
        ServerConfig config = ServerConfig.defaults().toBuilder()
                .limits(new ConnectionLimits(11_000, 11_000)) // as bench/run starts the server
                .timeouts(Timeouts.none()) // see the class description
                .build();
        connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ListenerContext listener = new ListenerContexts(config, new ServerMetrics(), null, connections, null,
                new RefusalWarnings()).forEndpoint(Endpoint.parse(endpoint));
        pipeline = new StreamServerInitializer(listener);
        message = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        message.writeZero(64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        message.release();
    }

    /** A connection through the server's pipeline. */
    @Benchmark
    public void server(Blackhole bh) {
        oneConnection(pipeline, bh);
    }

    /** A connection through a pipeline of one echoing handler. */
    @Benchmark
    public void bare(Blackhole bh) {
        oneConnection(BareEcho.INSTANCE, bh);
    }

    private void oneConnection(ChannelHandler handler, Blackhole bh) {
        EmbeddedChannel ch = new PeerChannel(handler);
        ch.writeInbound(message.retainedDuplicate());
        Object out;
        while ((out = ch.readOutbound()) != null) {
            bh.consume(out);
            ((ByteBuf) out).release();
        }
        ch.close();
        ch.runPendingTasks();
        bh.consume(ch);
    }

    /** An embedded channel with an IP peer, so that the per-address count is taken as for a TCP client. */
    static final class PeerChannel extends EmbeddedChannel {
        PeerChannel(ChannelHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return PEER;
        }
    }

    @ChannelHandler.Sharable
    static final class BareEcho extends ChannelInboundHandlerAdapter {
        static final BareEcho INSTANCE = new BareEcho();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }
}
