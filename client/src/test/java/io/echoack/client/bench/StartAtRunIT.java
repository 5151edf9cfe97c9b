package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's start time on a wall clock the test sets (a real server on loopback): lateness is the clock's
 * reading when the connections are up minus the start time, exactly.
 */
@Timeout(60)
class StartAtRunIT {

    @Test
    void aRunReadyAfterItsStartTimeByTheClockIsLateByExactlyTheDifference() throws Exception {
        Instant at = Instant.parse("2026-12-06T15:00:00Z");
        try (TestServer server = TestServer.start(Transport.AUTO, List.of("tcp://127.0.0.1:0?mode=echo"))) {
            BenchConfig config = BenchConfig.builder(Endpoint.parse(server.endpoint(0).toString())).count(10)
                    .warmup(Duration.ZERO).startAt(at).build();
            List<FieldMessage> notices = new ArrayList<>();
            BenchResult result = new BenchRunner(config, null, notices::add,
                    Clock.fixed(at.plusMillis(2_345).plusNanos(999_999), ZoneOffset.UTC)).run();
            assertEquals(10, result.messages());
            assertEquals(2_345L, result.lateMillis());
            assertEquals(List.of("warning: began 2345 ms after startAt 2026-12-06T15:00:00Z: the connections were "
                    + "not set up before then"), notices.stream().map(n -> n.render(Function.identity())).toList());

            notices.clear();
            BenchResult onTime = new BenchRunner(config, null, notices::add, Clock.fixed(at, ZoneOffset.UTC)).run();
            assertEquals(0L, onTime.lateMillis(), "ready at the start time itself: on time, no wait");
            assertEquals(List.of("connected; waiting until 2026-12-06T15:00:00Z (startAt)"),
                    notices.stream().map(n -> n.render(Function.identity())).toList());

            BenchConfig without = BenchConfig.builder(Endpoint.parse(server.endpoint(0).toString())).count(10)
                    .warmup(Duration.ZERO).build();
            assertNull(new BenchRunner(without, null, notices::add, Clock.fixed(at, ZoneOffset.UTC)).run()
                    .lateMillis());
        }
    }
}
