package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the connections of a run share: here, how large a buffer a stream connection reads into. */
class BenchRunTest {

    @Test
    void theRepliesInFlightFitTheReadBufferWithRoomToSpareSoThatOneReadFindsThemAll() {
        assertEquals(16 * 1000 + 1, BenchRun.readBufferSize(16, 1000));
        assertEquals(8 * 1024 + 1, BenchRun.readBufferSize(8, 1024), "a read that fills the buffer is read again");
    }

    @Test
    void smallLoadsReadIntoTheSmallestPooledBufferAndLargeOnesIntoNettysLargest() {
        assertEquals(BenchRun.MIN_READ_BUFFER, BenchRun.readBufferSize(1, 64));
        assertEquals(BenchRun.MAX_READ_BUFFER, BenchRun.readBufferSize(16, 16 * 1024));
        assertEquals(BenchRun.MAX_READ_BUFFER, BenchRun.readBufferSize(1024, Integer.MAX_VALUE), "no overflow");
    }
}
