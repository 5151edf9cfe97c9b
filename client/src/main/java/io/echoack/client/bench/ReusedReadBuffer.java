package io.echoack.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The receive buffer allocator of one bench connection: every read goes into one buffer the connection keeps,
 * as long as nothing holds that buffer from the last read any more, instead of into a pooled buffer taken and
 * given back per read (measured in bench/README.md, "The load generator's own cost"). How much
 * is read at once still follows {@code sizing}. A read buffer something still holds (a TLS handler keeping a
 * partial record, a read the kernel has not completed) is never reused: that read gets a pooled buffer of its
 * own. Not thread-safe: the channel's event loop only.
 */
final class ReusedReadBuffer implements RecvByteBufAllocator {

    private final RecvByteBufAllocator sizing;
    private ByteBuf kept;
    private boolean released;

    /** @param sizing decides how many bytes a read asks for and whether to read again; its handles must be extended */
    ReusedReadBuffer(RecvByteBufAllocator sizing) {
        this.sizing = sizing;
    }

    @Override
    public Handle newHandle() {
        return new ReusingHandle((ExtendedHandle) sizing.newHandle());
    }

    /**
     * A buffer for a read of {@code size} bytes: the kept one, emptied and retained for the reader, when no one else
     * holds it and it is large enough; else a new one (kept from now on when the old one is free).
     */
    ByteBuf take(ByteBufAllocator alloc, int size) {
        if (released) {
            return alloc.ioBuffer(size);
        }
        if (kept != null) {
            if (kept.refCnt() != 1) {
                return alloc.ioBuffer(size); // the last read's buffer is still held downstream
            }
            if (kept.capacity() >= size) {
                return kept.clear().retain();
            }
            kept.release();
        }
        kept = alloc.ioBuffer(size);
        return kept.retain();
    }

    /** Lets go of the kept buffer once the channel is done; later reads (there should be none) get their own. */
    void release() {
        released = true;
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }

    private final class ReusingHandle extends DelegatingHandle implements ExtendedHandle {

        ReusingHandle(ExtendedHandle sizing) {
            super(sizing);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return take(alloc, guess());
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
