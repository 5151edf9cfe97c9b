package io.echoack.server.datagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SourceTableTest {

    @Test
    void findsWhatWasAdded() {
        SourceTable t = new SourceTable(100);
        for (int k = 0; k < 100; k++) {
            assertEquals(-1, t.find(0, k, k * 31));
            t.add(0, k, k * 31);
        }
        for (int k = 0; k < 100; k++) {
            assertTrue(t.find(0, k, k * 31) >= 0);
        }
        assertEquals(100, t.size());
    }

    @Test
    void evictsTheLeastRecentlyUsedWhenFull() {
        SourceTable t = new SourceTable(3);
        t.add(0, 1, 1);
        t.add(0, 2, 2);
        t.add(0, 3, 3);
        t.find(0, 1, 1); // 1 is now the most recent; 2 the least
        int reused = t.add(0, 4, 4);
        assertEquals(3, t.size());
        assertEquals(-1, t.find(0, 2, 2), "the least recently used went");
        assertTrue(t.find(0, 1, 1) >= 0);
        assertTrue(t.find(0, 3, 3) >= 0);
        assertEquals(reused, t.find(0, 4, 4));
    }

    @Test
    void evictionWorksInsideACollisionChain() {
        SourceTable t = new SourceTable(8);
        for (int k = 0; k < 8; k++) {
            t.add(k, k, 42); // every key in one bucket
        }
        for (int k = 8; k < 40; k++) {
            t.add(k, k, 42);
            assertEquals(-1, t.find(k - 8, k - 8, 42));
            for (int live = k - 7; live <= k; live++) {
                assertTrue(t.find(live, live, 42) >= 0, "key " + live + " after adding " + k);
            }
        }
        assertEquals(8, t.size());
    }

    @Test
    void matchesALinkedHashMapModelUnderRandomUse() {
        int capacity = 150; // grows from its first entries while the model runs
        SourceTable t = new SourceTable(capacity);
        java.util.LinkedHashMap<Long, Boolean> model = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
        Random random = new Random(7);
        for (int step = 0; step < 100_000; step++) {
            long k = random.nextInt(200);
            int hash = (int) (k * 0x9e3779b9L) & 0x7; // few buckets: long chains
            boolean present = t.find(k >> 3, k, hash) >= 0;
            assertEquals(model.get(k) != null, present, "step " + step);
            if (!present) {
                t.add(k >> 3, k, hash);
                model.put(k, Boolean.TRUE);
            }
        }
        assertEquals(model.size(), t.size());
    }

    @Test
    void anUnusedTableHoldsOnlyItsFirstFewEntries() {
        SourceTable t = new SourceTable(65_536);
        assertEquals(SourceTable.INITIAL_ENTRIES, t.allocated());
        assertEquals(3, new SourceTable(3).allocated(), "never more than the capacity");
    }

    @Test
    void growsAsSourcesArriveAndNeverBeyondItsCapacity() {
        int capacity = 1000;
        SourceTable t = new SourceTable(capacity);
        for (int k = 0; k < 5 * capacity; k++) {
            int i = t.add(k, ~k, k * 0x9e3779b9);
            t.packets[i] = k; // state written at the index add returns survives later growth
            assertTrue(t.allocated() >= t.size() && t.allocated() <= 2 * Math.max(t.size(), SourceTable.INITIAL_ENTRIES),
                    "allocated " + t.allocated() + " for " + t.size());
        }
        assertEquals(capacity, t.allocated());
        assertEquals(capacity, t.size());
        for (int k = 4 * capacity; k < 5 * capacity; k++) {
            int i = t.find(k, ~k, k * 0x9e3779b9);
            assertTrue(i >= 0, "key " + k);
            assertEquals(k, t.packets[i]);
        }
        assertEquals(-1, t.find(4 * capacity - 1, ~(4 * capacity - 1), (4 * capacity - 1) * 0x9e3779b9));
    }

    @Test
    void growingKeepsEveryEntryAndItsRecency() {
        SourceTable t = new SourceTable(300);
        for (int k = 0; k < 200; k++) {
            int i = t.add(0, k, k);
            t.last[i] = k;
        }
        t.find(0, 0, 0); // 0 becomes the most recent, 1 the least, across the growth below
        for (int k = 200; k < 300; k++) {
            t.add(0, k, k);
        }
        t.add(0, 300, 300); // full: evicts the least recently used
        assertEquals(-1, t.find(0, 1, 1));
        int zero = t.find(0, 0, 0);
        assertTrue(zero >= 0);
        assertEquals(0, t.last[zero]);
        for (int k = 2; k < 200; k++) {
            assertEquals(k, t.last[t.find(0, k, k)], "key " + k);
        }
    }
}
