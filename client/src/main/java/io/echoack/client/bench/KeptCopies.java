package io.echoack.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Copies of one message a connection keeps to write again and again: a copy whose last write is done (nothing but
 * this holds it) is written once more as it is, instead of a new buffer or a new derived view per message. At
 * most as many copies as fit {@link #MAX_BYTES} are kept; while every one is still being written (a full socket
 * buffer), {@link #take} says so and the caller writes something else. Not thread-safe: one event loop only.
 */
final class KeptCopies {

    /** At most this many bytes of copies are kept per connection. */
    static final int MAX_BYTES = 1 << 20;

    private final ByteBuf[] copies;
    private int next;

    /** Room for one copy per message in flight ({@code inFlight}), within {@link #MAX_BYTES}. */
    KeptCopies(int inFlight, int messageBytes) {
        copies = new ByteBuf[Math.max(1, Math.min(inFlight, MAX_BYTES / Math.max(1, messageBytes)))];
    }

    /** How many copies may be kept. */
    int capacity() {
        return copies.length;
    }

    /**
     * A copy of {@code message}'s readable bytes, retained for one write (the writer's release gives it back), that
     * nothing else holds: a kept one made whole again, or one made now; null while every kept copy is held.
     */
    ByteBuf take(ByteBufAllocator alloc, ByteBuf message) {
        for (int i = 0; i < copies.length; i++) {
            int slot = (next + i) % copies.length;
            ByteBuf copy = copies[slot];
            if (copy == null) {
                copy = alloc.directBuffer(message.readableBytes()).writeBytes(message, message.readerIndex(),
                        message.readableBytes());
                copies[slot] = copy;
            } else if (copy.refCnt() != 1) {
                continue; // still being written
            }
            next = slot + 1;
            return copy.setIndex(0, message.readableBytes()).retain();
        }
        return null;
    }

    /** Lets go of every kept copy (each is freed once its last write is done). */
    void release() {
        for (int i = 0; i < copies.length; i++) {
            if (copies[i] != null) {
                copies[i].release();
                copies[i] = null;
            }
        }
    }
}
