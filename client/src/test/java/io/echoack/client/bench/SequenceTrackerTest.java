package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private final List<Long> lost = new ArrayList<>();
    private final SequenceTracker.LossListener listener = lost::add;

    @Test
    void inOrderRepliesAreReceivedWithTheirIntendedTimes() {
        SequenceTracker tracker = new SequenceTracker(4);
        for (int i = 0; i < 3; i++) {
            assertEquals(i, tracker.send(1000 + i, 2000 + i));
        }
        assertEquals(3, tracker.waiting());
        for (int i = 0; i < 3; i++) {
            assertEquals(SequenceTracker.RECEIVED, tracker.receive(i));
            assertEquals(1000 + i, tracker.lastIntended());
        }
        assertEquals(0, tracker.waiting());
    }

    @Test
    void aReplyAfterALaterOneIsReordered() {
        SequenceTracker tracker = new SequenceTracker(4);
        tracker.send(0, 0);
        tracker.send(1, 1);
        tracker.send(2, 2);
        assertEquals(SequenceTracker.RECEIVED, tracker.receive(2));
        assertEquals(SequenceTracker.REORDERED, tracker.receive(0));
        assertEquals(0, tracker.lastIntended());
        assertEquals(SequenceTracker.REORDERED, tracker.receive(1));
        assertEquals(0, tracker.waiting());
    }

    @Test
    void aSecondReplyIsADuplicateAndAnUnsentNumberIsUnknown() {
        SequenceTracker tracker = new SequenceTracker(4);
        tracker.send(0, 0);
        assertEquals(SequenceTracker.RECEIVED, tracker.receive(0));
        assertEquals(SequenceTracker.DUPLICATE, tracker.receive(0));
        assertEquals(SequenceTracker.UNKNOWN, tracker.receive(1));
        assertEquals(SequenceTracker.UNKNOWN, tracker.receive(-5));
        assertEquals(SequenceTracker.UNKNOWN, tracker.receive(Long.MAX_VALUE));
    }

    @Test
    void datagramsWithoutReplyAreLostAfterTheTimeoutOldestFirstAndTheirLateRepliesSaySo() {
        SequenceTracker tracker = new SequenceTracker(8);
        for (int i = 0; i < 5; i++) {
            tracker.send(100 + i, 10 * i); // sent at 0, 10, 20, 30, 40
        }
        tracker.receive(1);
        tracker.receive(3);
        assertEquals(0, tracker.expire(0, listener));
        assertEquals(2, tracker.expire(25, listener)); // 0 and 2 were sent before 25; 1 was answered
        assertEquals(List.of(100L, 102L), lost);
        assertEquals(1, tracker.waiting());
        assertEquals(SequenceTracker.LATE, tracker.receive(0));
        assertEquals(SequenceTracker.RECEIVED, tracker.receive(4));
        assertEquals(0, tracker.expireAll(listener));
    }

    @Test
    void theEndOfTheRunLosesEverythingStillWaiting() {
        SequenceTracker tracker = new SequenceTracker(4);
        tracker.send(7, 0);
        tracker.send(8, 0);
        tracker.send(9, 0);
        tracker.receive(1);
        assertEquals(2, tracker.expireAll(listener));
        assertEquals(List.of(7L, 9L), lost);
        assertEquals(0, tracker.waiting());
    }

    @Test
    void aDatagramRefusedByIcmpIsResolvedOldestFirst() {
        SequenceTracker tracker = new SequenceTracker(4);
        tracker.send(11, 0);
        tracker.send(12, 0);
        assertEquals(11, tracker.failOldest());
        assertEquals(12, tracker.failOldest());
        assertEquals(SendPlan.DONE, tracker.failOldest());
        assertEquals(SequenceTracker.LATE, tracker.receive(0));
    }

    @Test
    void anOldWaitingDatagramHoldsTheWindowUntilItExpires() {
        SequenceTracker tracker = new SequenceTracker(1);
        int window = tracker.window();
        assertEquals(1024, window);
        tracker.send(0, 0); // never answered
        for (int i = 1; i < window; i++) {
            assertTrue(tracker.canSend(), "seq " + i);
            tracker.receive(tracker.send(i, i));
        }
        assertFalse(tracker.canSend());
        assertThrows(IllegalStateException.class, () -> tracker.send(0, 0));
        assertEquals(1, tracker.expire(1, listener));
        assertTrue(tracker.canSend());
        long next = tracker.send(window, window);
        assertEquals(window, next);
        assertEquals(SequenceTracker.DUPLICATE, tracker.receive(0)); // forgotten: too old to tell
        assertEquals(SequenceTracker.DUPLICATE, tracker.receive(5));
        assertEquals(SequenceTracker.RECEIVED, tracker.receive(next));
    }

    @Test
    void theWindowGrowsWithThePipeline() {
        assertEquals(1024, new SequenceTracker(16).window());
        assertEquals(4096, new SequenceTracker(1000).window());
        assertEquals(4096, new SequenceTracker(1024).window());
    }
}
