package io.echoack.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void readyOnlyWhenNeitherTheLifecycleNorAHoldByHandSaysNot() {
        AtomicReference<String> lifecycle = new AtomicReference<>("starting");
        Readiness r = new Readiness(lifecycle::get);
        assertFalse(r.isReady());
        assertEquals("not ready: starting", r.describe());
        assertTrue(r.holdByHand(), "an unready before the start ends");
        assertEquals("not ready: starting, set unready by POST /unready", r.describe());
        lifecycle.set(null);
        assertFalse(r.isReady(), "the end of the start does not undo a hold by hand");
        assertEquals("not ready: set unready by POST /unready", r.describe());
        assertFalse(r.holdByHand(), "holding twice is one hold");
        assertTrue(r.releaseByHand());
        assertTrue(r.isReady());
        assertEquals("ready", r.describe());
        assertFalse(r.releaseByHand(), "releasing what is not held changes nothing");
        lifecycle.set("draining");
        r.holdByHand();
        r.releaseByHand();
        assertFalse(r.isReady(), "a ready by hand does not end a drain");
        assertEquals("not ready: draining", r.describe());
    }
}
