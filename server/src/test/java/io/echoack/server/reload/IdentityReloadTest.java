package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.identity.Identity;
import io.echoack.server.identity.IdentityPairs;
import io.echoack.server.live.LiveSetting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityReloadTest {

    private static final ServerConfig STARTED = ServerConfig.defaults().withListen("tcp://127.0.0.1:0?mode=info")
            .withIdentity("host=backend-a", "pod=web-1", "zone=eu");

    private static Identity resolved(ServerConfig config) {
        return new Identity("machine", IdentityPairs.none(), "epoll", "1.0").withPairs(config.identity());
    }

    @Test
    void eachPairThatChangedIsOneLineAndTheNewIdentityIsInForce() {
        LiveSetting<Identity> live = LiveSetting.of(resolved(STARTED));
        IdentityReload part = new IdentityReload(live);
        ServerConfig next = STARTED.withIdentity("host=backend-b", "pod=web-1", "build=42");
        assertEquals(List.of("identity: host 'backend-a' -> 'backend-b'", "identity: zone 'eu' -> (none)",
                "identity: build (none) -> '42'"), part.apply(STARTED, next));
        assertEquals("backend-b", live.get().host());
        assertEquals(Map.of("pod", "web-1", "build", "42"), live.get().pairs().pairs());
        assertEquals("epoll", live.get().transport(), "what the server runs on stays");
        assertEquals(next.identity(), part.carry(STARTED, next).identity());
    }

    @Test
    void theSamePairsSayNothingAndAnotherOrderIsAChange() {
        LiveSetting<Identity> live = LiveSetting.of(resolved(STARTED));
        IdentityReload part = new IdentityReload(live);
        Identity before = live.get();
        assertEquals(List.of(), part.apply(STARTED, STARTED.withIdentity("host=backend-a", "pod=web-1", "zone=eu")));
        assertEquals(before, live.get());
        assertEquals(List.of("identity: order host,pod,zone -> host,zone,pod"),
                part.apply(STARTED, STARTED.withIdentity("host=backend-a", "zone=eu", "pod=web-1")));
        assertEquals(List.of("zone", "pod"), List.copyOf(live.get().pairs().pairs().keySet()));
    }

    @Test
    void withoutAHostPairTheHostIsTheMachinesName() {
        LiveSetting<Identity> live = LiveSetting.of(resolved(STARTED));
        new IdentityReload(live).apply(STARTED, STARTED.withIdentity("pod=web-1"));
        assertEquals(Identity.resolve(IdentityPairs.none(), io.echoack.common.transport.Transport.NIO).host(),
                live.get().host());
    }
}
