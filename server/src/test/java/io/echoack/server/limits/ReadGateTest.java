package io.echoack.server.limits;

import static io.echoack.server.limits.ReadGate.Reason.ADMISSION;
import static io.echoack.server.limits.ReadGate.Reason.BACKPRESSURE;
import static io.echoack.server.limits.ReadGate.Reason.CLOSING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ReadGateTest {

    private final EmbeddedChannel ch = new EmbeddedChannel();

    private boolean reading() {
        assertEquals(ReadGate.reads(ch), ch.config().isAutoRead(), "the gate and the channel agree");
        return ch.config().isAutoRead();
    }

    @Test
    void aConnectionNobodyPausedReadsAndCarriesNoGate() {
        assertTrue(reading());
        ReadGate.resume(ch, BACKPRESSURE);
        assertTrue(reading());
        assertFalse(ch.hasAttr(ReadGate.KEY), "lifting a pause that never held costs nothing");
    }

    @Test
    void backpressurePausesUntilItIsLifted() {
        ReadGate.pause(ch, BACKPRESSURE);
        assertFalse(reading());
        ReadGate.pause(ch, BACKPRESSURE); // unwritable twice: still one reason, not a count
        ReadGate.resume(ch, BACKPRESSURE);
        assertTrue(reading());
    }

    @Test
    void liftingItsOwnPauseDoesNotLiftAnothersStop() {
        ReadGate.pause(ch, BACKPRESSURE);
        ReadGate.pause(ch, CLOSING);
        ReadGate.resume(ch, BACKPRESSURE);
        assertFalse(reading(), "closing still holds");

        EmbeddedChannel refused = new EmbeddedChannel();
        ReadGate.pause(refused, ADMISSION);
        ReadGate.pause(refused, BACKPRESSURE);
        ReadGate.resume(refused, BACKPRESSURE);
        assertFalse(refused.config().isAutoRead());
    }

    @Test
    void finalReasonsCannotBeLifted() {
        ReadGate.pause(ch, CLOSING);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReadGate.resume(ch, CLOSING));
        assertEquals("CLOSING is final: it is never lifted", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReadGate.resume(ch, ADMISSION));
        assertFalse(reading());
    }

    @Test
    void aDrainReadsThroughBackpressureButNotThroughAStop() {
        ReadGate.pause(ch, BACKPRESSURE);
        ReadGate.drain(ch);
        assertTrue(reading(), "reads (to discard) so that the peer's close is seen");
        ReadGate.resume(ch, BACKPRESSURE);
        ReadGate.pause(ch, BACKPRESSURE);
        assertTrue(reading(), "backpressure no longer matters once draining");
        ReadGate.pause(ch, CLOSING);
        assertFalse(reading(), "a close that begins during the drain stops reading");

        EmbeddedChannel closing = new EmbeddedChannel();
        ReadGate.pause(closing, CLOSING);
        ReadGate.drain(closing);
        assertFalse(closing.config().isAutoRead(), "a drain does not reopen a connection being closed");
    }
}
