package io.echoack.client.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class KeptCopiesTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Test
    void aCopyWhoseWriteIsDoneIsWrittenAgainWholeEvenAfterAPartialWriteMovedItsReaderIndex() {
        ByteBuf message = Unpooled.copiedBuffer("hello", US_ASCII);
        KeptCopies kept = new KeptCopies(1, message.readableBytes());
        ByteBuf first = kept.take(ALLOC, message);
        assertEquals("hello", first.toString(US_ASCII));
        first.skipBytes(3); // a partial write
        assertNull(kept.take(ALLOC, message), "held by its write: nothing to give");
        first.release(); // the write is done
        ByteBuf again = kept.take(ALLOC, message);
        assertSame(first, again);
        assertEquals("hello", again.toString(US_ASCII));
        again.release();
        kept.release();
        assertEquals(0, first.refCnt());
        message.release();
    }

    @Test
    void eachMessageInFlightMayHoldACopyOfItsOwn() {
        ByteBuf message = Unpooled.copiedBuffer("abc", US_ASCII);
        KeptCopies kept = new KeptCopies(2, message.readableBytes());
        assertEquals(2, kept.capacity());
        ByteBuf a = kept.take(ALLOC, message);
        ByteBuf b = kept.take(ALLOC, message);
        assertNotSame(a, b);
        assertNull(kept.take(ALLOC, message));
        b.release();
        assertSame(b, kept.take(ALLOC, message));
        kept.release();
        assertEquals(1, a.refCnt(), "a write still holds it");
        a.release();
        b.release();
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
        message.release();
    }

    @Test
    void copiesAreKeptWithinTheirByteBudget() {
        assertEquals(KeptCopies.MAX_BYTES / 4096, new KeptCopies(100_000, 4096).capacity());
        assertEquals(1, new KeptCopies(16, 2 * KeptCopies.MAX_BYTES).capacity());
    }
}
