package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflightQueueTest {

    @Test
    void firstInFirstOutAcrossTheWrap() {
        InflightQueue queue = new InflightQueue(3);
        for (int round = 0; round < 10; round++) {
            queue.add(round, 100 + round);
            queue.add(round + 1000, 0);
            assertEquals(2, queue.size());
            assertEquals(round, queue.oldestIntended());
            assertEquals(100 + round, queue.oldestSentAt());
            queue.removeOldest();
            assertEquals(round + 1000, queue.oldestIntended());
            queue.removeOldest();
            assertTrue(queue.isEmpty());
        }
        assertThrows(IllegalStateException.class, queue::removeOldest);
    }

    @Test
    void itHoldsAtLeastItsCapacity() {
        for (int capacity : new int[] {1, 2, 3, 16, 17}) {
            InflightQueue queue = new InflightQueue(capacity);
            for (int i = 0; i < capacity; i++) {
                queue.add(i, i);
            }
            assertEquals(capacity, queue.size());
        }
    }
}
