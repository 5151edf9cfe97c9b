package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.live.LiveSetting;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UdpGuardReloadTest {

    private static final ServerConfig STARTED = ServerConfig.defaults().withListen("udp://127.0.0.1:0");

    @Test
    void newSettingsAreLoggedOneLineEachAndPutInForce() throws Exception {
        LiveSetting<ReflectionGuardSettings> live = LiveSetting.of(STARTED.udpGuard());
        UdpGuardReload part = new UdpGuardReload(live);
        ServerConfig next = STARTED.withUdpGuard(STARTED.udpGuard().withPacketRate(5, 7)
                .withAllowedPrivilegedPorts(Set.of(123)));
        assertEquals(List.of("udpGuard: allowedPrivilegedPorts [] -> [123]", "udpGuard: packetsPerSecond 100 -> 5",
                "udpGuard: burstPackets 200 -> 7"), part.apply(STARTED, next));
        assertEquals(next.udpGuard(), live.get());
        assertEquals(List.of("udpGuard: enabled true -> false"),
                part.apply(next, next.withUdpGuard(next.udpGuard().withEnabled(false))));
    }

    @Test
    void theNumberOfSourcesNeedsARestartAndTheGuardIsKept() {
        LiveSetting<ReflectionGuardSettings> live = LiveSetting.of(STARTED.udpGuard());
        UdpGuardReload part = new UdpGuardReload(live);
        ServerConfig next = STARTED.withUdpGuard(STARTED.udpGuard().withMaxSources(10).withPacketRate(5, 7));
        ReloadException e = assertThrows(ReloadException.class, () -> part.apply(STARTED, next));
        assertEquals("udpGuard: maxSources 65536 -> 10 needs a restart (the guard's tables are sized at startup); "
                + "the guard is unchanged", e.getMessage());
        assertSame(STARTED.udpGuard(), live.get(), "not even the rate");
        ConfigReload reload = new ConfigReload(STARTED, List.of(part));
        ReloadReport report = reload.apply(next);
        assertEquals(List.of(e.getMessage()), report.failed());
        assertEquals(STARTED.udpGuard(), reload.current().udpGuard(), "the old settings stay in effect");
    }
}
