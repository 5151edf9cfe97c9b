package io.echoack.server.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.Faults;
import org.junit.jupiter.api.Test;

class ListenerFaultsTest {

    private static final Endpoint TCP = Endpoint.parse("tcp://:0?reset=1%");

    @Test
    void theNthConnectionDrawsTheSameStreamForTheSameSeedAndLabel() {
        ListenerFaults a = new ListenerFaults(TCP, "tcp://:0", 42);
        ListenerFaults b = new ListenerFaults(TCP, "tcp://:0", 42);
        for (int n = 0; n < 5; n++) {
            assertEquals(a.nextRandom().nextLong(), b.nextRandom().nextLong(), "connection " + n);
        }
        assertNotEquals(new ListenerFaults(TCP, "tcp://:0", 42).nextRandom().nextLong(),
                new ListenerFaults(TCP, "tcp://:0#2", 42).nextRandom().nextLong(), "each listener its own");
        assertNotEquals(new ListenerFaults(TCP, "tcp://:0", 42).nextRandom().nextLong(),
                new ListenerFaults(TCP, "tcp://:0", 43).nextRandom().nextLong(), "each seed its own");
        ListenerFaults c = new ListenerFaults(TCP, "tcp://:0", 42);
        assertNotEquals(c.nextRandom().nextLong(), c.nextRandom().nextLong(), "each connection its own");
    }

    @Test
    void aReplacementIsSeenWholeAndMustFitTheTransport() {
        ListenerFaults f = new ListenerFaults(TCP, "tcp://:0", 1);
        assertEquals(Faults.parse("reset=1%"), f.current());
        f.replace(Faults.parse("delay=5ms&close=2%"));
        assertEquals(Faults.parse("delay=5ms&close=2%"), f.current());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.replace(Faults.parse("drop=1%")));
        assertEquals("fault drop applies to datagram endpoints only (udp, unixgram); tcp is a stream", e.getMessage());
        assertEquals(Faults.parse("delay=5ms&close=2%"), f.current(), "unchanged after a refused replacement");
    }
}
