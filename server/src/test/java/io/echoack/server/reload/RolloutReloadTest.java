package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.rollout.ReadinessTimeline;
import io.echoack.server.rollout.RolloutDelays;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutReloadTest {

    private static final ServerConfig STARTED = ServerConfig.defaults().withListen("tcp://127.0.0.1:0")
            .withStartDelay(Duration.ofSeconds(30));

    private long now;

    @Test
    void aNewDrainDelayIsForTheNextStopAndAStartDelayIsTakenWhileStarting() {
        ReadinessTimeline timeline = new ReadinessTimeline(STARTED.rollout(), () -> now);
        timeline.listening();
        RolloutReload part = new RolloutReload(timeline);
        ServerConfig next = STARTED.withDrainDelay(Duration.ofSeconds(10)).withStartDelay(Duration.ofSeconds(5));
        assertEquals(List.of("rollout: drainDelay 0ms -> 10s (from the next stop request)",
                "rollout: startDelay 30s -> 5s (counted from the start: the server is still starting)"),
                part.apply(STARTED, next));
        assertEquals(next.rollout(), timeline.delays());
        now += Duration.ofSeconds(5).toNanos();
        assertTrue(timeline.isReady(), "5 s after it started listening");
        assertTrue(timeline.stopRequested());
        assertEquals(Duration.ofSeconds(10), timeline.untilDrain());
        assertEquals(next.rollout(), part.carry(STARTED, next).rollout());
    }

    @Test
    void aStartDelayOnceReadyHasNoEffectAndSaysSo() {
        ReadinessTimeline timeline = new ReadinessTimeline(RolloutDelays.none(), () -> now);
        timeline.listening();
        ServerConfig started = STARTED.withStartDelay(Duration.ZERO);
        ServerConfig next = started.withStartDelay(Duration.ofMinutes(2));
        ConfigReload reload = new ConfigReload(started, List.of(new RolloutReload(timeline)));
        ReloadReport report = reload.apply(next);
        assertEquals(List.of("rollout: startDelay 0ms -> 120s: no effect, the server is past its start (it applies "
                + "at the next start)"), report.applied());
        assertEquals(List.of(), report.refused());
        assertTrue(timeline.isReady(), "still ready");
        assertEquals(Duration.ZERO, timeline.delays().startDelay());
        assertEquals(next.rollout(), reload.current().rollout(), "the file's value is taken: said once");
        assertTrue(reload.apply(next).isEmpty());
        assertFalse(timeline.delays().startDelay().equals(Duration.ofMinutes(2)));
    }
}
