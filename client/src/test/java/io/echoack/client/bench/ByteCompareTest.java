package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class ByteCompareTest {

    @Test
    void comparesTheRangeGivenInPiecesOfTheScratchSizeWithoutMovingTheBuffersIndexes() {
        byte[] expected = new byte[10_000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 31);
        }
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(expected.length + 3).writeZero(3).writeBytes(expected);
        byte[] scratch = ByteCompare.scratch(expected.length);
        assertEquals(ByteCompare.MAX_SCRATCH, scratch.length);
        assertTrue(ByteCompare.equal(in, 3, expected, 0, expected.length, scratch));
        assertTrue(ByteCompare.equal(in, 103, expected, 100, 50, new byte[7]));
        assertFalse(ByteCompare.equal(in, 3, expected, 1, 50, scratch), "shifted by one");
        in.setByte(3 + 9_999, in.getByte(3 + 9_999) + 1);
        assertFalse(ByteCompare.equal(in, 3, expected, 0, expected.length, scratch), "the last byte of the last piece");
        assertTrue(ByteCompare.equal(in, 3, expected, 0, expected.length - 1, scratch));
        assertEquals(0, in.readerIndex());
        assertEquals(expected.length + 3, in.writerIndex());
        assertTrue(ByteCompare.equal(in, 0, expected, 0, 0, scratch), "nothing to compare");
        in.release();
    }

    @Test
    void aScratchArrayIsNeverEmpty() {
        assertEquals(1, ByteCompare.scratch(0).length);
        assertEquals(64, ByteCompare.scratch(64).length);
    }
}
