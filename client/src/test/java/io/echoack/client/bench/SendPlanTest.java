package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendPlanTest {

    private static final long MS = 1_000_000;

    @Test
    void quotasSplitTheCountAsEvenlyAsPossible() {
        long sum = 0;
        for (int c = 0; c < 7; c++) {
            long quota = SendPlan.quota(100, 7, c);
            assertTrue(quota == 14 || quota == 15, "quota " + quota);
            sum += quota;
        }
        assertEquals(100, sum);
        assertEquals(1, SendPlan.quota(2, 4, 1));
        assertEquals(0, SendPlan.quota(2, 4, 2));
    }

    @Test
    void aClosedLoopWithACountSendsItsQuotaAfterTheWarmup() {
        RunTimes times = RunTimes.of(0, 10 * MS, 0);
        SendPlan plan = new SendPlan(times, null, 0, 3, new StopSignal());
        assertEquals(SendPlan.NOT_YET, plan.next(-1)); // before the start
        for (long t = 0; t < 10 * MS; t += MS) {
            assertEquals(t, plan.next(t)); // warm-up: as many as the loop allows, uncounted
            plan.sent(t);
        }
        for (int i = 0; i < 3; i++) {
            long now = 10 * MS + i;
            assertEquals(now, plan.next(now));
            assertTrue(times.isMeasured(now));
            plan.sent(now);
        }
        assertEquals(SendPlan.DONE, plan.next(11 * MS));
        assertTrue(plan.isDone());
    }

    @Test
    void aTimedClosedLoopStopsAtTheEnd() {
        RunTimes times = RunTimes.of(100, 0, 50);
        SendPlan plan = new SendPlan(times, null, 0, 0, new StopSignal());
        assertEquals(120, plan.next(120));
        plan.sent(120);
        assertEquals(149, plan.next(149));
        assertEquals(SendPlan.DONE, plan.next(150));
    }

    @Test
    void anOpenLoopReleasesEachMessageAtItsIntendedTimeAndKeepsItWhenLate() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(2000, 2); // 1 ms per connection, offsets 0 and 0.5 ms
        RunTimes times = RunTimes.of(0, 0, 3 * MS);
        SendPlan plan = new SendPlan(times, schedule, 1, 0, new StopSignal());
        assertEquals(SendPlan.NOT_YET, plan.next(MS / 2 - 1));
        assertEquals(MS / 2, plan.next(MS / 2));
        plan.sent(MS / 2);
        assertEquals(SendPlan.NOT_YET, plan.next(MS));
        // delayed (e.g. the pipeline was full): still due, with its own intended time
        assertEquals(MS + MS / 2, plan.next(2 * MS + 300));
        plan.sent(MS + MS / 2);
        assertEquals(2 * MS + MS / 2, plan.nextIntended());
        assertEquals(2 * MS + MS / 2, plan.next(2 * MS + 300_000 + MS));
        plan.sent(2 * MS + MS / 2);
        assertEquals(SendPlan.DONE, plan.next(10 * MS)); // 3.5 ms is past the end
    }

    @Test
    void anOpenLoopWithACountSendsItsQuotaOfMeasuredMessages() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(1000, 1);
        RunTimes times = RunTimes.of(0, 2 * MS, 0); // two warm-up messages, at 0 and 1 ms
        SendPlan plan = new SendPlan(times, schedule, 0, 2, new StopSignal());
        int measured = 0;
        int sent = 0;
        for (long now = 0; now < 100 * MS && !plan.isDone(); now += MS) {
            long intended = plan.next(now);
            if (intended >= 0) {
                plan.sent(intended);
                sent++;
                measured += times.isMeasured(intended) ? 1 : 0;
            }
        }
        assertEquals(4, sent);
        assertEquals(2, measured);
        assertTrue(plan.isDone());
    }

    @Test
    void aStopEndsThePlan() {
        StopSignal stop = new StopSignal();
        SendPlan plan = new SendPlan(RunTimes.of(0, 0, 0), null, 0, 100, stop);
        assertEquals(5, plan.next(5));
        stop.stop(StopReason.INTERRUPTED);
        assertEquals(SendPlan.DONE, plan.next(6));
        assertFalse(RunTimes.of(0, 0, 0).isPastEnd(Long.MAX_VALUE)); // untimed runs have no end
    }
}
