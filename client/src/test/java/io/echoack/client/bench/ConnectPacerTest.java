package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pacing arithmetic of {@code --connect-rate}, on a frozen clock: every time is given, none is read. */
class ConnectPacerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void connectsAskedForTogetherGetSlotsOneIntervalApart() {
        ConnectPacer pacer = new ConnectPacer(10, 0);
        assertTrue(pacer.limited());
        assertEquals(SECOND / 10, pacer.interval());
        for (int i = 0; i < 25; i++) {
            assertEquals(i * SECOND / 10, pacer.reserve(0), "slot " + i);
        }
    }

    @Test
    void aConnectAskedForAfterTheLastSlotHasPassedGoesAtOnceAndEarnsNoCredit() {
        ConnectPacer pacer = new ConnectPacer(4, 1_000);
        assertEquals(1_000, pacer.reserve(1_000));
        assertEquals(1_000 + SECOND / 4, pacer.reserve(1_000));
        long later = 60 * SECOND; // idle for a minute
        assertEquals(later, pacer.reserve(later));
        assertEquals(later + SECOND / 4, pacer.reserve(later), "no burst after the idle minute");
        assertEquals(later + SECOND / 2, pacer.reserve(later + SECOND / 4 + 1), "behind: the next free slot");
    }

    @Test
    void neverMoreThanRateTimesTheWindowPlusOneInAnyWindow() {
        double rate = 7.3;
        ConnectPacer pacer = new ConnectPacer(rate, 0);
        long[] slots = new long[500];
        long now = 0;
        for (int i = 0; i < slots.length; i++) {
            now += (i % 3 == 0) ? 0 : SECOND / 50; // asked for in bursts and trickles
            slots[i] = pacer.reserve(now);
            assertTrue(slots[i] - now >= 0, "never before it was asked for");
            if (i > 0) {
                assertTrue(slots[i] - slots[i - 1] >= pacer.interval(), "slot " + i + " too close to the one before");
            }
        }
        long window = 2 * SECOND;
        for (int i = 0; i < slots.length; i++) {
            int inWindow = 0;
            for (long slot : slots) {
                if (slot >= slots[i] && slot < slots[i] + window) {
                    inWindow++;
                }
            }
            assertTrue(inWindow <= rate * 2 + 1, inWindow + " connects within 2 s of slot " + i);
        }
    }

    @Test
    void withoutARateEverySlotIsNow() {
        ConnectPacer pacer = new ConnectPacer(0, 5);
        assertFalse(pacer.limited());
        assertEquals(5, pacer.reserve(5));
        assertEquals(5, pacer.reserve(5));
        assertEquals(-3, pacer.reserve(-3));
    }

    @Test
    void slotsFollowNanoTimeAcrossItsWrapAround() {
        long start = Long.MAX_VALUE - SECOND / 4;
        ConnectPacer pacer = new ConnectPacer(2, start);
        assertEquals(start, pacer.reserve(start));
        assertEquals(start + SECOND / 2, pacer.reserve(start), "wraps to a negative long, still after start");
        assertEquals(start + SECOND, pacer.reserve(start + 1));
    }
}
