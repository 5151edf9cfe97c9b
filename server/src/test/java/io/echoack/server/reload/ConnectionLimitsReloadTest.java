package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.ConnectionLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionLimitsReloadTest {

    private static final ServerConfig STARTED = ServerConfig.defaults().withListen("tcp://127.0.0.1:0");

    @Test
    void newLimitsAreLoggedOneLineEachAndPutInForce() {
        ConnectionCounter counter = new ConnectionCounter(STARTED.limits());
        ConnectionLimitsReload part = new ConnectionLimitsReload(counter);
        ServerConfig next = STARTED.withLimits(new ConnectionLimits(2, 1));
        assertEquals(List.of("limits: maxConnections 10000 -> 2", "limits: maxConnectionsPerIp 0 -> 1"),
                part.apply(STARTED, next));
        assertEquals(new ConnectionLimits(2, 1), counter.limits());
        assertEquals(List.of(), part.apply(next, next), "nothing changed: nothing to say");
    }

    @Test
    void carryTakesTheLimitsAndNothingElse() {
        ConnectionLimitsReload part = new ConnectionLimitsReload(new ConnectionCounter(STARTED.limits()));
        ServerConfig next = STARTED.withLimits(new ConnectionLimits(5, 0)).withThreads(3);
        ServerConfig carried = part.carry(STARTED, next);
        assertEquals(new ConnectionLimits(5, 0), carried.limits());
        assertEquals(0, carried.threads());
    }

    @Test
    void aReloadAppliesTheLimitsAndRefusesWhatNeedsARestart() {
        ConnectionCounter counter = new ConnectionCounter(STARTED.limits());
        ConfigReload reload = new ConfigReload(STARTED, List.of(new ConnectionLimitsReload(counter)));
        ReloadReport report = reload.apply(STARTED.withLimits(new ConnectionLimits(7, 0)).withThreads(3));
        assertEquals(List.of("limits: maxConnections 10000 -> 7"), report.applied());
        assertEquals(List.of("threads: 0 -> 3 needs a restart"), report.refused());
        assertEquals(7, counter.limits().maxConnections());
        assertEquals(new ConnectionLimits(7, 0), reload.current().limits());
        assertEquals(0, reload.current().threads());
    }
}
