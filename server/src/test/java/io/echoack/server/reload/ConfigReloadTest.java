package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a reload applies, refuses and reports, with a part that owns one field. */
class ConfigReloadTest {

    private static final ServerConfig STARTED = ServerConfig.defaults()
            .withListen(List.of(Endpoint.parse("tcp://127.0.0.1:7"), Endpoint.parse("udp://127.0.0.1:7")));

    /** Owns ackText; fails when told to. */
    static final class AckTextPart implements Reloadable {
        final List<String> seen = new ArrayList<>();
        boolean fail;

        @Override
        public Set<String> fields() {
            return Set.of("ackText");
        }

        @Override
        public List<String> apply(ServerConfig old, ServerConfig next) throws ReloadException {
            if (fail) {
                throw new ReloadException("ackText: cannot", null);
            }
            seen.add(next.ackText());
            return old.ackText().equals(next.ackText()) ? List.of() : List.of("ackText -> " + next.ackText());
        }

        @Override
        public ServerConfig carry(ServerConfig current, ServerConfig next) {
            return current.withAckTexts(next.ackText(), current.datagramAckText());
        }
    }

    @Test
    void aPartAppliesItsFieldAndTheReloadKeepsIt() {
        AckTextPart part = new AckTextPart();
        ConfigReload reload = new ConfigReload(STARTED, List.of(part));
        ReloadReport report = reload.apply(STARTED.withAckTexts("new", STARTED.datagramAckText()));
        assertEquals(new ReloadReport(List.of("ackText -> new"), List.of(), List.of()), report);
        assertEquals("new", reload.current().ackText());
        assertEquals(new ReloadReport(List.of(), List.of(), List.of()),
                reload.apply(STARTED.withAckTexts("new", STARTED.datagramAckText())), "nothing changed since");
    }

    @Test
    void everyOtherFieldThatChangedIsRefusedAndKeepsItsValue() {
        ConfigReload reload = new ConfigReload(STARTED, List.of(new AckTextPart()));
        ServerConfig next = STARTED.withThreads(3).withTransport(Transport.NIO)
                .withListen(List.of(Endpoint.parse("tcp://127.0.0.1:7"), Endpoint.parse("tcp://127.0.0.1:8")));
        ReloadReport report = reload.apply(next);
        assertEquals(List.of("listeners added [tcp://127.0.0.1:8], removed [udp://127.0.0.1:7]: needs a restart",
                "transport: auto -> nio needs a restart", "threads: 0 -> 3 needs a restart"), report.refused());
        assertEquals(STARTED.toString(), reload.current().toString());
    }

    @Test
    void aListenerWhoseFaultsAloneChangedIsNotAddedOrRemoved() {
        ConfigReload reload = new ConfigReload(STARTED, List.of(new AckTextPart()));
        ServerConfig faults = STARTED.withListen(List.of(Endpoint.parse("tcp://127.0.0.1:7?reset=1%"),
                Endpoint.parse("udp://127.0.0.1:7")));
        assertEquals(List.of("listen: [tcp://127.0.0.1:7, udp://127.0.0.1:7] -> [tcp://127.0.0.1:7?reset=1%, "
                + "udp://127.0.0.1:7] needs a restart"), reload.apply(faults).refused(), "without a part for faults");
        ServerConfig other = STARTED.withListen(List.of(Endpoint.parse("tcp://127.0.0.1:7?mode=echo&reset=1%"),
                Endpoint.parse("udp://127.0.0.1:7")));
        assertEquals(List.of("listeners added [tcp://127.0.0.1:7?mode=echo], removed [tcp://127.0.0.1:7]: needs a "
                + "restart"), reload.apply(other).refused(), "another key changed: named without its faults");
    }

    @Test
    void aPartThatCannotApplyIsReportedAndKeepsTheOldValue() {
        AckTextPart part = new AckTextPart();
        part.fail = true;
        ConfigReload reload = new ConfigReload(STARTED, List.of(part));
        ReloadReport report = reload.apply(STARTED.withAckTexts("new", STARTED.datagramAckText()));
        assertEquals(List.of("ackText: cannot"), report.failed());
        assertEquals(STARTED.ackText(), reload.current().ackText());
    }
}
