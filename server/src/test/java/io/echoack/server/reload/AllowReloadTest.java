package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.echoack.server.access.SourceFilter;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.live.LiveSetting;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowReloadTest {

    private static final ServerConfig STARTED = ServerConfig.defaults().withListen("tcp://127.0.0.1:0");

    @Test
    void newRangesAreLoggedAndPutInForce() {
        LiveSetting<SourceFilter> live = LiveSetting.of(STARTED.allow());
        AllowReload part = new AllowReload(live);
        ServerConfig narrowed = STARTED.withAllow("10.0.0.0/8", "::1/128");
        assertEquals(List.of("allow: everyone -> [10.0.0.0/8, ::1/128]"), part.apply(STARTED, narrowed));
        assertSame(narrowed.allow(), live.get());
        assertEquals(List.of(), part.apply(narrowed, STARTED.withAllow("10.0.0.0/8", "::1/128")),
                "the same ranges, parsed again");
        assertEquals(List.of("allow: [10.0.0.0/8, ::1/128] -> everyone"), part.apply(narrowed, STARTED));
        assertEquals(narrowed.allow().ranges(), part.carry(STARTED, narrowed).allow().ranges());
    }
}
