package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ReusedReadBufferTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Test
    void aReadBufferTheReaderGaveBackIsTheNextReadsBufferEmptied() {
        ReusedReadBuffer reads = new ReusedReadBuffer(new FixedRecvByteBufAllocator(128));
        RecvByteBufAllocator.Handle handle = reads.newHandle();
        ByteBuf first = handle.allocate(ALLOC);
        assertEquals(128, first.writableBytes(), "the size the sizing allocator guesses");
        first.writeBytes(new byte[] {1, 2, 3});
        first.release(); // the reader is done with it
        ByteBuf second = handle.allocate(ALLOC);
        assertSame(first, second);
        assertEquals(0, second.readableBytes());
        assertEquals(128, second.writableBytes());
        second.release();
        reads.release();
        assertEquals(0, first.refCnt());
    }

    @Test
    void aReadBufferSomethingStillHoldsIsNeverReused() {
        ReusedReadBuffer reads = new ReusedReadBuffer(new FixedRecvByteBufAllocator(64));
        ByteBuf held = reads.take(ALLOC, 64).writeByte(7);
        ByteBuf other = reads.take(ALLOC, 64);
        assertNotSame(held, other);
        assertEquals(7, held.getByte(0), "untouched while held");
        other.release();
        held.release();
        assertSame(held, reads.take(ALLOC, 64), "free again");
        held.release();
        reads.release();
        assertEquals(0, held.refCnt());
        assertEquals(0, other.refCnt());
    }

    @Test
    void aReadThatAsksForMoreThanTheKeptBufferHoldsGetsALargerOneKeptFromThen() {
        ReusedReadBuffer reads = new ReusedReadBuffer(new FixedRecvByteBufAllocator(64));
        ByteBuf small = reads.take(ALLOC, 64);
        small.release();
        ByteBuf large = reads.take(ALLOC, 4096);
        assertEquals(0, small.refCnt(), "the small one is freed");
        assertTrue(large.writableBytes() >= 4096);
        large.release();
        assertSame(large, reads.take(ALLOC, 100), "a smaller read fits the larger buffer");
        large.release();
        reads.release();
        assertEquals(0, large.refCnt());
    }

    @Test
    void onceReleasedEveryReadGetsABufferOfItsOwnAndTheHeldOneIsFreedByItsHolder() {
        ReusedReadBuffer reads = new ReusedReadBuffer(new FixedRecvByteBufAllocator(64));
        ByteBuf held = reads.take(ALLOC, 64);
        reads.release();
        assertEquals(1, held.refCnt(), "the holder's reference stands");
        ByteBuf later = reads.take(ALLOC, 64);
        assertNotSame(held, later);
        later.release();
        assertEquals(0, later.refCnt(), "not kept");
        held.release();
        assertEquals(0, held.refCnt());
    }

    @Test
    void theHandleReadsAgainWhenItsSizingSaysSo() {
        FixedRecvByteBufAllocator sizing = new FixedRecvByteBufAllocator(64);
        sizing.maxMessagesPerRead(4);
        ReusedReadBuffer reads = new ReusedReadBuffer(sizing);
        RecvByteBufAllocator.ExtendedHandle handle = (RecvByteBufAllocator.ExtendedHandle) reads.newHandle();
        EmbeddedChannel channel = new EmbeddedChannel();
        handle.reset(channel.config());
        handle.attemptedBytesRead(64);
        handle.lastBytesRead(64);
        handle.incMessagesRead(1);
        assertTrue(handle.continueReading(() -> true), "a full read: more may be waiting");
        handle.attemptedBytesRead(64);
        handle.lastBytesRead(10);
        assertFalse(handle.continueReading(() -> false), "a short read: the socket is drained");
        reads.release();
        assertFalse(channel.finish());
    }
}
