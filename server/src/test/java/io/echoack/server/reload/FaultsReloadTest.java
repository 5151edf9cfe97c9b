package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.Faults;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.fault.ListenerFaults;
import io.echoack.server.fault.ServerFaults;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A reload of the listeners' faults, through {@link ConfigReload} as the server runs it. */
class FaultsReloadTest {

    private final ServerFaults faults = new ServerFaults();
    private ConfigReload reload;

    private static ServerConfig config(String... listen) {
        return ServerConfig.defaults().withListen(listen);
    }

    /** A server started on {@code started}: each listener's faults added as the server adds them. */
    private void start(ServerConfig started) {
        int n = 0;
        for (Endpoint e : started.listen()) {
            String label = e.address() + (n++ == 0 ? "" : "#" + n);
            faults.add(label, new ListenerFaults(e, label, 1));
        }
        reload = new ConfigReload(started, List.of(new FaultsReload(faults)));
    }

    private Faults now(int listener) {
        return faults.listeners().get(listener).faults().current();
    }

    @Test
    void faultsChangedInTheFileApplyAndTheRestIsNotRefused() {
        start(config("tcp://127.0.0.1:7", "udp://127.0.0.1:7?drop=5%"));
        ReloadReport report = reload.apply(config("tcp://127.0.0.1:7?reset=100%", "udp://127.0.0.1:7"));
        assertEquals(List.of("faults of tcp://127.0.0.1:7: none -> reset=100%",
                "faults of udp://127.0.0.1:7#2: drop=5% -> none"), report.applied());
        assertEquals(List.of(), report.refused());
        assertEquals(Faults.parse("reset=100%"), now(0));
        assertEquals(Faults.NONE, now(1));
        assertEquals("[tcp://127.0.0.1:7?reset=100%, udp://127.0.0.1:7]", reload.current().listen().toString());
        assertEquals(new ReloadReport(List.of(), List.of(), List.of()),
                reload.apply(config("tcp://127.0.0.1:7?reset=100%", "udp://127.0.0.1:7")), "nothing changed since");
    }

    @Test
    void aChangeMadeAtRunTimeHoldsUntilTheFileChangesThatListener() {
        start(config("tcp://127.0.0.1:7?delay=1ms", "tcp://127.0.0.1:8"));
        faults.replace("tcp://127.0.0.1:7", Map.of("close", "1%"));
        faults.replace("tcp://127.0.0.1:8#2", Map.of("reset", "1%"));
        ReloadReport report = reload.apply(config("tcp://127.0.0.1:7?delay=1ms", "tcp://127.0.0.1:8?delay=2ms"));
        assertEquals(List.of("faults of tcp://127.0.0.1:8#2: reset=1% -> delay=2ms"), report.applied());
        assertEquals(Faults.parse("close=1%"), now(0), "the file did not change it: the PUT holds");
        assertEquals(Faults.parse("delay=2ms"), now(1), "the file changed it: the file wins");
    }

    @Test
    void listenersAddedOrChangedAreRefusedWhileTheOthersGetTheirFaults() {
        start(config("tcp://127.0.0.1:7", "tcp://127.0.0.1:8"));
        ReloadReport report = reload.apply(config("tcp://127.0.0.1:7?close=1%", "tcp://127.0.0.1:8?mode=echo&reset=1%",
                "udp://127.0.0.1:9?drop=1%"));
        assertEquals(List.of("listeners added [tcp://127.0.0.1:8?mode=echo, udp://127.0.0.1:9], removed "
                + "[tcp://127.0.0.1:8]: needs a restart"), report.refused());
        assertEquals(List.of("faults of tcp://127.0.0.1:7: none -> close=1%"), report.applied());
        assertEquals(Faults.NONE, now(1), "a listener whose other keys changed is not matched");
        assertEquals("[tcp://127.0.0.1:7?close=1%, tcp://127.0.0.1:8]", reload.current().listen().toString(),
                "still the listeners it runs");
    }

    @Test
    void repeatedEndpointsAreMatchedInOrder() {
        List<Endpoint> from = Arrays.asList(Endpoint.parse("tcp://:0"), Endpoint.parse("udp://:0"),
                Endpoint.parse("tcp://:0?delay=1ms"));
        List<Endpoint> to = Arrays.asList(Endpoint.parse("tcp://:0?reset=1%"), Endpoint.parse("tcp://:0"));
        assertEquals("[0, -1, 1]", Arrays.toString(FaultsReload.match(from, to)));
    }
}
