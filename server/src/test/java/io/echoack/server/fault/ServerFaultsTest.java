package io.echoack.server.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.Faults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFaultsTest {

    private final ServerFaults faults = new ServerFaults();
    private final ListenerFaults tcp = new ListenerFaults(Endpoint.parse("tcp://:7000?delay=20ms"), "tcp://:7000", 1);
    private final ListenerFaults udp = new ListenerFaults(Endpoint.parse("udp://:7000"), "udp://:7000", 1);

    ServerFaultsTest() {
        faults.add("tcp://:7000", tcp);
        faults.add("udp://:7000", udp);
    }

    private static Map<String, String> keys(String... pairs) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            keys.put(pairs[i], pairs[i + 1]);
        }
        return keys;
    }

    @Test
    void listenersAreListedInTheOrderTheyWereAdded() {
        assertEquals(List.of("tcp://:7000", "udp://:7000"),
                faults.listeners().stream().map(ServerFaults.Listener::label).toList());
        assertEquals(Faults.parse("delay=20ms"), faults.listeners().get(0).faults().current());
    }

    @Test
    void aReplacementIsWholeAndClearRemovesEverything() {
        assertEquals(Faults.parse("reset=1%&jitter=5ms"), faults.replace("tcp://:7000", keys("reset", "1%",
                "jitter", "5ms")));
        assertEquals(Faults.parse("reset=1%&jitter=5ms"), tcp.current(), "the delay is gone: replaced, not merged");
        assertEquals(Faults.NONE, faults.replace("tcp://:7000", keys("reset", "0")), "0 is off");
        assertEquals(Faults.parse("drop=5%"), faults.replace("udp://:7000", keys("drop", "5%")));
        assertEquals(Faults.NONE, faults.clear("udp://:7000"));
        assertEquals(Faults.NONE, udp.current());
    }

    @Test
    void aBadKeyChangesNothingAndIsNamed() {
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> faults.replace("tcp://:7000", keys("close", "1%", "reset", "120%")));
        assertEquals("fault reset=120%: '120%' is outside 0%..100%", value.getMessage());
        IllegalArgumentException transport = assertThrows(IllegalArgumentException.class,
                () -> faults.replace("tcp://:7000", keys("delay", "1ms", "drop", "1%")));
        assertEquals("fault drop applies to datagram endpoints only (udp, unixgram); tcp is a stream",
                transport.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> faults.replace("tcp://:7000", keys("colour", "red")));
        assertEquals("unknown fault 'colour' (expected one of " + io.echoack.common.fault.FaultKey.allIds() + ")",
                unknown.getMessage());
        assertEquals(Faults.parse("delay=20ms"), tcp.current(), "all or nothing: still as before");
    }

    @Test
    void anUnknownListenerIsNamedWithTheOnesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> faults.clear("tcp://:1"));
        assertEquals("no listener 'tcp://:1'; the listeners are tcp://:7000, udp://:7000", e.getMessage());
    }
}
