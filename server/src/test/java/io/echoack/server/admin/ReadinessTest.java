package io.echoack.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.admin.Readiness.Hold;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void readyOnlyWhenNothingHoldsIt() {
        Readiness r = Readiness.starting();
        assertFalse(r.isReady());
        assertEquals("not ready: starting", r.describe());
        assertTrue(r.hold(Hold.MANUAL), "an unready before the start ends");
        assertTrue(r.release(Hold.STARTING));
        assertFalse(r.isReady(), "the end of the start does not undo a hold by hand");
        assertFalse(r.hold(Hold.MANUAL), "holding twice is one hold");
        assertTrue(r.release(Hold.MANUAL));
        assertTrue(r.isReady());
        assertEquals("ready", r.describe());
        assertFalse(r.release(Hold.MANUAL), "releasing what is not held changes nothing");
        r.hold(Hold.DRAINING);
        r.hold(Hold.MANUAL);
        r.release(Hold.MANUAL);
        assertFalse(r.isReady(), "a ready by hand does not end a drain");
        assertEquals(Set.of(Hold.DRAINING), r.holds());
    }
}
