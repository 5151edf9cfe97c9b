package io.echoack.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts one connection's messages and replies. Sits right after the frame decoder, so it sees whole
 * messages inbound and whole replies outbound; counts in plain fields on the event loop and hands the
 * totals to the shared {@link ListenerMetrics} once per read, after the replies were flushed (so the
 * latency it observes includes the write to the socket). The latency is sampled: the first read of a
 * connection and every {@value #LATENCY_SAMPLE_EVERY}th after it, because two clock reads and a histogram
 * update on every read cost a visible share of the server's own CPU time per message (the profile: the
 * README's Performance section, "What each change gained"). New per connection.
 */
public final class StreamMetricsHandler extends ChannelDuplexHandler {

    /** One read in this many has its reply latency observed (a power of two). */
    static final int LATENCY_SAMPLE_EVERY = 16;

    private final ListenerMetrics metrics;
    private int reads;
    private boolean timing;
    private long readStart;
    private final MessageTally tally = new MessageTally();

    public StreamMetricsHandler(ListenerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.connectionClosed();
        publish();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf frame) {
            if (!tally.hasReceived()) {
                timing = (reads++ & (LATENCY_SAMPLE_EVERY - 1)) == 0;
                if (timing) {
                    readStart = System.nanoTime();
                }
            }
            tally.received(frame.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete(); // the responder flushes here
        if (tally.hasReceived() && timing) {
            metrics.replyLatency(System.nanoTime() - readStart);
        }
        publish();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf reply && reply.isReadable()) {
            tally.sent(reply.readableBytes());
        }
        ctx.write(msg, promise);
    }

    private void publish() {
        tally.publishTo(metrics);
    }
}
