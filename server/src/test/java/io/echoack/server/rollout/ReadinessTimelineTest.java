package io.echoack.server.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadinessTimelineTest {

    /** A clock that moves only when the test says so, from an arbitrary (negative) origin, as nanoTime may. */
    private long now = -5_000_000_000L;

    private ReadinessTimeline timeline(Duration startDelay, Duration drainDelay) {
        return new ReadinessTimeline(new RolloutDelays(startDelay, drainDelay), () -> now);
    }

    private void advance(Duration d) {
        now += d.toNanos();
    }

    @Test
    void notReadyBeforeListeningAndReadyAtOnceWithoutAStartDelay() {
        ReadinessTimeline t = timeline(Duration.ZERO, Duration.ZERO);
        assertFalse(t.isReady());
        t.listening();
        assertTrue(t.isReady());
    }

    @Test
    void theStartDelayKeepsTheServerNotReadyUntilItHasPassedNeverEarly() {
        ReadinessTimeline t = timeline(Duration.ofSeconds(3), Duration.ZERO);
        t.listening();
        for (int ms = 0; ms < 3000; ms++) {
            assertFalse(t.isReady(), "ready early, " + ms + " ms after listening");
            advance(Duration.ofMillis(1));
        }
        assertTrue(t.isReady(), "ready 3 s after listening");
        advance(Duration.ofHours(2));
        assertTrue(t.isReady(), "and stays ready");
    }

    @Test
    void aStopRequestTurnsNotReadyAtOnceAndTheDrainIsDueAfterTheDrainDelayNeverEarly() {
        ReadinessTimeline t = timeline(Duration.ZERO, Duration.ofSeconds(5));
        t.listening();
        assertEquals(Duration.ofSeconds(5), t.untilDrain(), "before a request, the whole delay");
        assertTrue(t.stopRequested());
        assertFalse(t.isReady());
        for (int ms = 0; ms < 5000; ms++) {
            assertEquals(Duration.ofMillis(5000 - ms), t.untilDrain(), ms + " ms after the request");
            advance(Duration.ofMillis(1));
        }
        assertEquals(Duration.ZERO, t.untilDrain(), "due 5 s after the request");
        advance(Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, t.untilDrain());
        assertFalse(t.isReady(), "never ready again");
    }

    @Test
    void withoutADrainDelayTheDrainIsDueAtTheRequest() {
        ReadinessTimeline t = timeline(Duration.ZERO, Duration.ZERO);
        t.listening();
        t.stopRequested();
        assertEquals(Duration.ZERO, t.untilDrain());
    }

    @Test
    void aSecondRequestDoesNotMoveTheDrain() {
        ReadinessTimeline t = timeline(Duration.ZERO, Duration.ofSeconds(5));
        t.listening();
        assertTrue(t.stopRequested());
        advance(Duration.ofSeconds(2));
        assertFalse(t.stopRequested(), "only the first request counts");
        assertEquals(Duration.ofSeconds(3), t.untilDrain());
    }

    @Test
    void drainNowEndsTheDrainDelayAtOnce() {
        ReadinessTimeline t = timeline(Duration.ZERO, Duration.ofSeconds(30));
        t.listening();
        t.stopRequested();
        advance(Duration.ofSeconds(1));
        t.drainNow();
        assertEquals(Duration.ZERO, t.untilDrain());
        assertFalse(t.isReady());
    }

    @Test
    void drainNowBeforeAnyRequestIsARequestToo() {
        ReadinessTimeline t = timeline(Duration.ZERO, Duration.ofSeconds(30));
        t.listening();
        t.drainNow();
        assertFalse(t.isReady());
        assertFalse(t.stopRequested(), "already requested");
        assertEquals(Duration.ZERO, t.untilDrain());
    }

    @Test
    void aStopDuringTheStartDelayIsNeverReady() {
        ReadinessTimeline t = timeline(Duration.ofSeconds(10), Duration.ZERO);
        t.listening();
        advance(Duration.ofSeconds(1));
        t.stopRequested();
        advance(Duration.ofSeconds(20));
        assertFalse(t.isReady());
    }

    @Test
    void delaysOutsideZeroToAnHourAreRefusedByName() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> RolloutDelays.none().withDrainDelay(Duration.ofSeconds(-1)));
        assertEquals("drainDelay must be 0s..1h, was PT-1S", negative.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> RolloutDelays.none().withStartDelay(Duration.ofHours(2)));
        assertEquals("startDelay must be 0s..1h, was PT2H", tooLong.getMessage());
    }

    @Test
    void aNewDrainDelayIsTheOneTheNextStopWaitsAndADrainUnderWayKeepsItsOwn() {
        ReadinessTimeline t = timeline(Duration.ZERO, Duration.ZERO);
        t.listening();
        assertFalse(t.replaceDelays(new RolloutDelays(Duration.ZERO, Duration.ofSeconds(4))), "ready: past its start");
        assertEquals(Duration.ofSeconds(4), t.delays().drainDelay());
        assertTrue(t.isReady(), "a reload does not touch readiness");
        assertTrue(t.stopRequested());
        advance(Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(3), t.untilDrain());
        t.replaceDelays(new RolloutDelays(Duration.ZERO, Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(3), t.untilDrain(), "the stop under way keeps the delay it started with");
        t.replaceDelays(RolloutDelays.none());
        assertEquals(Duration.ofSeconds(3), t.untilDrain());
    }

    @Test
    void aNewStartDelayAppliesWhileStartingAndNotOnceReady() {
        ReadinessTimeline t = timeline(Duration.ofSeconds(60), Duration.ZERO);
        t.listening();
        advance(Duration.ofSeconds(10));
        assertTrue(t.replaceDelays(new RolloutDelays(Duration.ofSeconds(20), Duration.ZERO)), "still starting");
        advance(Duration.ofMillis(9_999));
        assertFalse(t.isReady(), "never early: 20 s from listening");
        advance(Duration.ofMillis(1));
        assertTrue(t.isReady());
        assertFalse(t.replaceDelays(new RolloutDelays(Duration.ofHours(1), Duration.ofSeconds(2))), "ready already");
        assertTrue(t.isReady(), "a ready server stays ready");
        assertEquals(new RolloutDelays(Duration.ofSeconds(20), Duration.ofSeconds(2)), t.delays(),
                "the drain delay is taken, the start delay it ran with kept");
    }
}
