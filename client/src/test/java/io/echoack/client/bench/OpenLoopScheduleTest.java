package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    @Test
    void oneConnectionSendsEveryOneOverRateSeconds() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(1000, 1);
        assertEquals(1_000_000, schedule.interval());
        assertEquals(500, schedule.intended(500, 0, 0));
        assertEquals(500 + 1_000_000, schedule.intended(500, 0, 1));
        assertEquals(500 + 7_000_000, schedule.intended(500, 0, 7));
        assertEquals(1000.0, schedule.effectiveRate(), 1e-9);
    }

    @Test
    void connectionsAreStaggeredSoThatTheWholeRunIsEvenlySpaced() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(4000, 4); // 250 us apart in all, 1 ms per connection
        assertEquals(1_000_000, schedule.interval());
        List<Long> times = new ArrayList<>();
        for (long j = 0; j < 3; j++) {
            for (int c = 0; c < 4; c++) {
                times.add(schedule.intended(0, c, j));
            }
        }
        for (int k = 0; k < times.size(); k++) {
            assertEquals(k * 250_000L, times.get(k), "message " + k);
        }
    }

    @Test
    void theIntervalIsRoundedToWholeNanosecondsAndTheRateSaysSo() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(3, 1);
        assertEquals(333_333_333, schedule.interval());
        assertEquals(3.000000003, schedule.effectiveRate(), 1e-9);
        assertEquals(1, new OpenLoopSchedule(1e9, 1).interval());
    }

    @Test
    void ticksLandOnIntendedTimesAndAreNeverCloserThanTenMicroseconds() {
        assertEquals(1_000_000, new OpenLoopSchedule(1000, 1).tickPeriod());
        OpenLoopSchedule fast = new OpenLoopSchedule(300_000, 1); // 3333 ns apart
        assertEquals(3333, fast.interval());
        assertEquals(13_332, fast.tickPeriod());
        assertEquals(0, fast.tickPeriod() % fast.interval());
        assertTrue(fast.tickPeriod() >= OpenLoopSchedule.MIN_TICK_NANOS);
    }

    @Test
    void rateAndConnectionsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(10, 0));
    }
}
