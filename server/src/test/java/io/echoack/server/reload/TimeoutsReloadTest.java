package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.live.LiveSetting;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutsReloadTest {

    private static final ServerConfig STARTED = ServerConfig.defaults().withListen("tcp://127.0.0.1:0");

    @Test
    void newTimeoutsAreLoggedAsTheFlagsTakeThemAndPutInForce() {
        LiveSetting<Timeouts> live = LiveSetting.of(STARTED.timeouts());
        TimeoutsReload part = new TimeoutsReload(live);
        ServerConfig next = STARTED.withTimeouts(new Timeouts(Duration.ofSeconds(1), Timeouts.DEFAULT_FRAME_TIMEOUT));
        assertEquals(List.of("timeouts: idleTimeout 300s -> 1s"), part.apply(STARTED, next));
        assertEquals(next.timeouts(), live.get());
        assertEquals(List.of(), part.apply(next, next));
        assertEquals(next.timeouts(), part.carry(STARTED, next).timeouts());
    }

    @Test
    void throughAReloadTheFieldIsNoLongerRefused() {
        LiveSetting<Timeouts> live = LiveSetting.of(STARTED.timeouts());
        ConfigReload reload = new ConfigReload(STARTED, List.of(new TimeoutsReload(live)));
        ReloadReport report = reload.apply(STARTED.withTimeouts(Timeouts.none()));
        assertEquals(List.of("timeouts: idleTimeout 300s -> 0ms", "timeouts: frameTimeout 30s -> 0ms"),
                report.applied());
        assertEquals(List.of(), report.refused());
        assertEquals(Timeouts.none(), live.get());
        assertEquals(Timeouts.none(), reload.current().timeouts());
    }
}
