package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --start-at} on frozen time: the clock moves only when the test (or its sleeper) moves it. */
class StartAtTest {

    private static final Instant NOW = Instant.parse("2026-12-06T14:00:00.250Z");

    /** A wall clock that reads what it is set to. */
    private static final class FrozenClock extends Clock {
        Instant now;

        FrozenClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void readsAnInstantAnOffsetTimeOrADurationFromNow() {
        assertEquals(Instant.parse("2026-12-06T15:00:00Z"), StartAt.parse("2026-12-06T15:00:00Z", NOW));
        assertEquals(Instant.parse("2026-12-06T15:00:00Z"), StartAt.parse("2026-12-06T16:00:00+01:00", NOW));
        assertEquals(Instant.parse("2026-12-06T15:00:00.5Z"), StartAt.parse("2026-12-06T15:00:00.500Z", NOW));
        assertEquals(NOW.plusSeconds(30), StartAt.parse("+30s", NOW));
        assertEquals(NOW.plusMillis(1500), StartAt.parse("+1.5s", NOW));
        assertEquals(NOW.plusSeconds(120), StartAt.parse("+2m", NOW));
        assertEquals(NOW, StartAt.parse("+0s", NOW));
        assertEquals(Instant.parse("2026-12-06T13:00:00Z"), StartAt.parse("2026-12-06T13:00:00Z", NOW),
                "a time in the past is allowed: the run is then late");
    }

    @Test
    void anUnreadableTimeOrOneOver24HoursAwayIsRefusedQuotingIt() {
        assertMessage("'tomorrow' is not a start time", "tomorrow");
        assertMessage("'+soon' is not a start time", "+soon");
        assertMessage("'2026-12-06 15:00' is not a start time", "2026-12-06 15:00");
        assertMessage("'2026-12-06T15:00:00' is not a start time", "2026-12-06T15:00:00"); // no zone: whose 15:00?
        assertMessage("'+25h' is not a start time", "+25h"); // no hours unit: the durations the CLI reads
        assertMessage("'+1441m' is more than 24h from now", "+1441m");
        assertMessage("'2026-12-07T14:00:01Z' is more than 24h from now", "2026-12-07T14:00:01Z");
        assertMessage("'2026-12-05T14:00:00Z' is more than 24h from now", "2026-12-05T14:00:00Z");
        assertEquals(NOW.plus(Duration.ofHours(24)), StartAt.parse("+1440m", NOW), "24h exactly is allowed");
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StartAt.parse(text, NOW));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void readyBeforeTheTimeIsOnTimeAndReadyAfterItIsLateByTheDifference() {
        Instant at = Instant.parse("2026-12-06T15:00:00Z");
        assertEquals(0, StartAt.lateMillis(at, at.minusSeconds(10)));
        assertEquals(0, StartAt.lateMillis(at, at));
        assertEquals(0, StartAt.lateMillis(at, at.plusNanos(999_999)), "under a millisecond");
        assertEquals(1, StartAt.lateMillis(at, at.plusMillis(1)));
        assertEquals(12_345, StartAt.lateMillis(at, at.plusMillis(12_345).plusNanos(600_000)));
    }

    @Test
    void theWaitEndsAtTheTimeNeverBeforeInStepsOfAtMostASecond() {
        FrozenClock clock = new FrozenClock(NOW);
        Instant at = NOW.plusMillis(3_700);
        List<Long> sleeps = new ArrayList<>();
        assertTrue(StartAt.await(at, clock, nanos -> {
            assertTrue(clock.now.isBefore(at), "asleep again after the time had come");
            sleeps.add(nanos);
            clock.now = clock.now.plusNanos(nanos);
            return true;
        }));
        assertEquals(List.of(1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 700_000_000L), sleeps);
        assertEquals(at, clock.now);
    }

    @Test
    void aSleepThatWakesEarlyIsFollowedByAnotherAndAClockStepIsFollowed() {
        FrozenClock clock = new FrozenClock(NOW);
        Instant at = NOW.plusSeconds(2);
        List<Long> sleeps = new ArrayList<>();
        assertTrue(StartAt.await(at, clock, nanos -> {
            sleeps.add(nanos);
            // a spurious early wake-up, then the clock is stepped forward past the time
            clock.now = sleeps.size() == 1 ? clock.now.plusMillis(10) : at.plusSeconds(5);
            return true;
        }));
        assertEquals(List.of(1_000_000_000L, 1_000_000_000L), sleeps);
        assertTrue(StartAt.await(at, clock, nanos -> {
            throw new AssertionError("no sleep once the time has passed");
        }));
    }

    @Test
    void aStopEndsTheWait() {
        FrozenClock clock = new FrozenClock(NOW);
        int[] sleeps = {0};
        assertFalse(StartAt.await(NOW.plusSeconds(60), clock, nanos -> {
            clock.now = clock.now.plusNanos(nanos);
            return ++sleeps[0] < 3; // stopped during the third
        }));
        assertEquals(3, sleeps[0]);
        assertEquals(NOW.plusSeconds(3), clock.now);
    }
}
