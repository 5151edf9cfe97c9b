package io.echoack.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

/**
 * A persistent stream connection (TCP, Unix stream) of a bench run. Every message is the same frame, built
 * once per connection in a pooled direct buffer and written from copies kept for that ({@link KeptCopies});
 * replies are cut and checked by a {@link StreamReplyReader} straight from the received buffers and matched to
 * the messages in flight first in first out. A reply that does not arrive within the timeout fails the
 * connection: later replies could no longer be matched to their messages. A wrong reply stops the run
 * ({@link BenchRun#wrongReply}).
 */
final class StreamLoadHandler extends LoadConnection implements StreamReplyReader.ReplySink {

    private final InflightQueue inFlight;
    private final StreamReplyReader reader;
    private ByteBuf frame;
    /** Copies of the frame written again once their last write is done; the frame's duplicates when all are held. */
    private KeptCopies kept;
    private long readNanos;

    StreamLoadHandler(BenchRun run, LoopStats stats, int index) {
        super(run, stats, index);
        this.inFlight = new InflightQueue(pipeline);
        this.reader = newReader(run);
    }

    /** The reply reader for this run's framing and expectation. */
    static StreamReplyReader newReader(BenchRun run) {
        BenchConfig config = run.config;
        byte[] expected = switch (config.expect().kind()) {
            case ECHO -> run.payload.message();
            case ACK, TEXT -> config.expect().textBytes();
            case ANY, INFO -> null;
        };
        return new StreamReplyReader(config.replyFraming(), expected, config.rawReplyLength(),
                config.maxFrameLength(), run.info != null);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        byte[] bytes = run.payload.frame();
        frame = ctx.alloc().directBuffer(bytes.length).writeBytes(bytes);
        kept = new KeptCopies(pipeline, bytes.length);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        if (frame != null) {
            frame.release();
            frame = null;
            kept.release();
        }
    }

    @Override
    boolean canSend() {
        return inFlight.size() < pipeline;
    }

    @Override
    int inFlight() {
        return inFlight.size();
    }

    @Override
    void send(long intendedNanos, long nowNanos) {
        inFlight.add(intendedNanos, nowNanos);
        ByteBuf copy = kept.take(ctx.alloc(), frame);
        ctx.write(copy != null ? copy : frame.retainedDuplicate(), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf bytes && !finished) {
                readNanos = System.nanoTime();
                if (reader.read(bytes, this) == StreamReplyReader.TOO_LONG) {
                    run.wrongReply(reader.tooLong());
                    fail(Counter.MISMATCH);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public boolean reply(boolean valid) {
        if (inFlight.isEmpty()) {
            // unsolicited: the stream is out of step with our messages
            String shown = reader.lastReply();
            run.wrongReply("a reply with no message waiting for it" + (shown == null ? "" : ": " + shown));
            fail(Counter.MISMATCH);
            return false;
        }
        long intended = inFlight.oldestIntended();
        inFlight.removeOldest();
        run.streamReply(valid, reader, stats.phase(times, intended), intended, readNanos);
        return true;
    }

    @Override
    void expire(long nowNanos) {
        if (!inFlight.isEmpty() && nowNanos - inFlight.oldestSentAt() >= run.timeoutNanos) {
            fail(Counter.TIMEOUT);
        }
    }

    @Override
    int failInFlight(Counter counter) {
        int n = 0;
        while (!inFlight.isEmpty()) {
            stats.phase(times, inFlight.oldestIntended()).add(counter);
            inFlight.removeOldest();
            n++;
        }
        return n;
    }

    @Override
    Counter abandoned() {
        return Counter.TIMEOUT;
    }

    @Override
    void failure(Counter counter) {
        fail(counter); // a reset arrives here, before the channel goes inactive
    }

    /** The channel closed: after our own close, or after a failure, nothing; else the server closed it (FIN). */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(Counter.CLOSED);
    }
}
