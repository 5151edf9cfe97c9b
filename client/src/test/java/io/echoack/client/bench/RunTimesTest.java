package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunTimesTest {

    @Test
    void withAWarmUpWhatHappensBeforeItsEndIsWarmUp() {
        RunTimes times = RunTimes.of(1_000, 500, 10_000);
        assertFalse(times.isMeasured(999), "before the start: a failure while connecting");
        assertFalse(times.isMeasured(1_499));
        assertTrue(times.isMeasured(1_500));
    }

    @Test
    void withoutAWarmUpEverythingIsMeasured() {
        RunTimes times = RunTimes.of(1_000, 0, 10_000);
        assertTrue(times.isMeasured(998), "a connection reset just before the first send (--warmup 0)");
        assertTrue(times.isMeasured(1_000));
    }

    @Test
    void thePhaseNumberIsOneExactlyWhenMeasured() {
        long[] starts = {1_000, -5_000, Long.MAX_VALUE - 2_000};
        for (long start : starts) {
            for (long warmup : new long[] {0, 1, 500}) {
                RunTimes times = RunTimes.of(start, warmup, 10_000);
                for (long t = start - 600; t != start + 600; t++) {
                    assertEquals(times.isMeasured(t) ? 1 : 0, times.phase(t), "start " + start + " warmup " + warmup
                            + " at " + t);
                }
            }
        }
    }
}
