package io.echoack.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

/**
 * A datagram flow (UDP, Unix datagram) of a bench run: one connected datagram socket. In echo mode every
 * datagram starts with its sequence number, so each reply is matched to its datagram by that number and a
 * {@link SequenceTracker} tells losses, reordering, duplicates and late replies apart. Otherwise (an ack
 * server) replies are counted against datagrams first in first out, and a datagram without reply within
 * the timeout is lost (in info mode each reply must read as an identity reply, and may be counted by a key).
 * Nothing is ever sent again: a loss is reported, not retried. A wrong reply answers one
 * datagram (so it is not lost as well) and stops the run. A datagram socket survives every failure but its
 * own closing.
 */
final class DatagramLoadHandler extends LoadConnection implements SequenceTracker.LossListener {

    private final boolean sequenced;
    private final SequenceTracker tracker;
    private final InflightQueue inFlight;

    /** The expected ack, or null when echoing or when any reply counts. */
    private final ByteBuf expectedText;
    private final int size;
    private ByteBuf message;
    /** Where a reply's bytes are copied to compare them with the message ({@link ByteCompare}). */
    private final byte[] scratch;
    /**
     * Sequenced datagrams kept to be written again: one whose last write is done gets the next sequence number in
     * place, instead of a new buffer per datagram.
     */
    private KeptCopies kept;
    private Counter lossCounter = Counter.LOST;

    DatagramLoadHandler(BenchRun run, LoopStats stats, int index) {
        super(run, stats, index);
        this.sequenced = run.payload.sequenced();
        this.tracker = sequenced ? new SequenceTracker(pipeline) : null;
        this.inFlight = sequenced ? null : new InflightQueue(pipeline);
        byte[] text = run.config.expect().textBytes();
        this.expectedText = text == null ? null : Unpooled.wrappedBuffer(text);
        this.size = run.config.size();
        this.scratch = ByteCompare.scratch(size);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        message = ctx.alloc().directBuffer(size).writeBytes(run.payload.message());
        if (sequenced) {
            kept = new KeptCopies(pipeline, size);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        if (message != null) {
            message.release();
            message = null;
        }
        if (kept != null) {
            kept.release();
        }
    }

    @Override
    boolean canSend() {
        return sequenced ? tracker.waiting() < pipeline && tracker.canSend() : inFlight.size() < pipeline;
    }

    @Override
    int inFlight() {
        return sequenced ? tracker.waiting() : inFlight.size();
    }

    @Override
    void send(long intendedNanos, long nowNanos) {
        if (sequenced) {
            ctx.write(datagram(tracker.send(intendedNanos, nowNanos)), ctx.voidPromise());
        } else {
            inFlight.add(intendedNanos, nowNanos);
            ctx.write(message.retainedDuplicate(), ctx.voidPromise());
        }
    }

    /**
     * The datagram with sequence number {@code seq}: a kept one whose last write is done, renumbered, or a new one
     * while every kept one is still being written (the socket's buffer is full).
     */
    private ByteBuf datagram(long seq) {
        ByteBuf copy = kept.take(ctx.alloc(), message);
        if (copy != null) {
            return copy.setLong(0, seq);
        }
        ByteBuf datagram = ctx.alloc().directBuffer(size);
        return datagram.writeLong(seq).writeBytes(message, Payload.SEQUENCE_BYTES, size - Payload.SEQUENCE_BYTES);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf content = msg instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof ByteBuf b
                    ? b : msg instanceof ByteBuf b ? b : null;
            if (content != null && !finished) {
                received(content, System.nanoTime());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void received(ByteBuf content, long now) {
        if (!sequenced) {
            if (inFlight.isEmpty()) {
                stats.phase(times, now).add(Counter.DUPLICATE); // no datagram waits for a reply
                return;
            }
            long intended = inFlight.oldestIntended();
            inFlight.removeOldest();
            boolean valid = expectedText == null || (content.readableBytes() == expectedText.readableBytes()
                    && ByteBufUtil.equals(content, content.readerIndex(), expectedText, 0, content.readableBytes()));
            if (valid && run.info != null) {
                valid = run.info.accept(ByteBufUtil.getBytes(content), stats.phase(times, intended));
            }
            record(intended, valid, now);
            if (!valid) {
                run.wrongReply(show(content));
            }
            return;
        }
        boolean numbered = content.readableBytes() >= Payload.SEQUENCE_BYTES;
        int outcome = numbered ? tracker.receive(content.getLong(content.readerIndex())) : SequenceTracker.UNKNOWN;
        if (!echoes(content)) {
            // Not an echo of any datagram (e.g. an ack): it answers the datagram it names if one waits, else the
            // oldest waiting one, whose reply it most likely is; that datagram is then not lost as well.
            long intended = outcome == SequenceTracker.RECEIVED || outcome == SequenceTracker.REORDERED
                    ? tracker.lastIntended() : tracker.failOldest();
            if (intended == SendPlan.DONE) {
                stats.phase(times, now).add(Counter.MISMATCH);
            } else {
                record(intended, false, now);
            }
            run.wrongReply(show(content));
            return;
        }
        switch (outcome) {
            case SequenceTracker.RECEIVED, SequenceTracker.REORDERED -> {
                long intended = tracker.lastIntended();
                if (outcome == SequenceTracker.REORDERED) {
                    stats.phase(times, intended).add(Counter.REORDERED);
                }
                record(intended, true, now);
            }
            case SequenceTracker.DUPLICATE -> stats.phase(times, now).add(Counter.DUPLICATE);
            case SequenceTracker.LATE -> stats.phase(times, now).add(Counter.LATE);
            default -> {
                stats.phase(times, now).add(Counter.MISMATCH); // the payload, under a number never sent
                run.wrongReply(show(content));
            }
        }
    }

    /** True when {@code content} is this flow's message after some sequence number. */
    private boolean echoes(ByteBuf content) {
        return content.readableBytes() == size && ByteCompare.equal(content,
                content.readerIndex() + Payload.SEQUENCE_BYTES, run.payload.message(), Payload.SEQUENCE_BYTES,
                size - Payload.SEQUENCE_BYTES, scratch);
    }

    private static String show(ByteBuf content) {
        int length = content.readableBytes();
        byte[] shown = new byte[Math.min(length, ReplySample.SHOWN_BYTES)];
        content.getBytes(content.readerIndex(), shown);
        return ReplySample.show(shown, shown.length, length);
    }

    private void record(long intended, boolean valid, long now) {
        stats.phase(times, intended).reply(valid, intended, now);
    }

    @Override
    void expire(long nowNanos) {
        long sentBefore = nowNanos - run.timeoutNanos;
        if (sequenced) {
            lossCounter = Counter.LOST;
            tracker.expire(sentBefore, this);
            return;
        }
        while (!inFlight.isEmpty() && inFlight.oldestSentAt() - sentBefore < 0) {
            lost(inFlight.oldestIntended());
            inFlight.removeOldest();
        }
    }

    @Override
    public void lost(long intendedNanos) {
        stats.phase(times, intendedNanos).add(lossCounter);
    }

    @Override
    int failInFlight(Counter counter) {
        if (sequenced) {
            lossCounter = counter;
            return tracker.expireAll(this);
        }
        int n = inFlight.size();
        while (!inFlight.isEmpty()) {
            stats.phase(times, inFlight.oldestIntended()).add(counter);
            inFlight.removeOldest();
        }
        return n;
    }

    @Override
    Counter abandoned() {
        return Counter.LOST;
    }

    @Override
    void failure(Counter counter) {
        long now = System.nanoTime();
        if (counter != Counter.REFUSED) {
            stats.phase(times, now).add(counter); // e.g. a send the kernel refused; the socket lives on
            return;
        }
        // ICMP port unreachable: the oldest datagram waiting was refused, not lost.
        long intended;
        if (sequenced) {
            intended = tracker.failOldest();
        } else if (!inFlight.isEmpty()) {
            intended = inFlight.oldestIntended();
            inFlight.removeOldest();
        } else {
            intended = SendPlan.DONE;
        }
        stats.phase(times, intended == SendPlan.DONE ? now : intended).add(Counter.REFUSED);
        pump(now);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(Counter.OTHER); // closed under us (after our own close, fail() does nothing)
    }
}
