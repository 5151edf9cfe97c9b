package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.fault.ListenerFaults;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server whose listeners' faults are drawn from one known seed, and {@code echoack bench} run against it with its
 * JSON parsed: what {@link FaultsIT} and {@link FaultsBenchIT} share. A test draws what a listener's first
 * connection meets as the server draws it ({@link #listenerFaults}) and so expects exact counts. Registered on a
 * test class ({@code @RegisterExtension static}), it starts the server before the class's tests and closes it after.
 */
final class FaultBench implements BeforeAllCallback, AfterAllCallback {

    static final long SEED = 42;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> listen;
    private TestServer server;

    /** A server to listen on {@code listen}, on the best transport here, with {@link #SEED}. */
    FaultBench(List<String> listen) {
        this.listen = List.copyOf(listen);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = TestServer.start(ServerConfig.defaults().withTransport(Transport.select(Transport.AUTO).transport())
                .withFaultSeed(SEED), listen);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The endpoint as a client writes it: the server's faults are not the client's to give. */
    String endpoint(int index) {
        return server.endpoint(index).withFaults(Faults.NONE).toString();
    }

    /** The {@code index}-th listener as bound, with its real port. */
    Endpoint bound(int index) {
        return server.endpoint(index);
    }

    /**
     * Listener {@code index}'s faults as the server holds them: seeded by the listener's label, its address, with
     * {@code #n} for the n-th listener on the same one. Its {@link ListenerFaults#nextRandom()} is then the random
     * stream of the listener's first connection (or datagram socket).
     */
    ListenerFaults listenerFaults(int index) {
        String address = Endpoint.parse(listen.get(index)).address();
        int same = 0;
        for (int i = 0; i <= index; i++) {
            same += Endpoint.parse(listen.get(i)).address().equals(address) ? 1 : 0;
        }
        return new ListenerFaults(Endpoint.parse(listen.get(index)), same == 1 ? address : address + "#" + same,
                SEED);
    }

    /**
     * How many messages a connection drawing from {@code random} gets through before its first hit of
     * {@code fault}, drawn as the server draws; {@code random} then stands just after that hit.
     */
    static int answeredBeforeFirst(ListenerFaults listener, SplittableRandom random, FaultKey fault) {
        Faults faults = listener.current();
        int n = 0;
        while (!faults.roll(fault, random) && n < 1_000_000) {
            n++;
        }
        return n;
    }

    /** Runs bench with {@code args}, its JSON on stdout and no table, and returns the parsed JSON. */
    static JsonNode bench(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(List.of("--json", "-", "--quiet"));
        CliRun run = CliRun.run("", all.toArray(String[]::new));
        assertTrue(!run.out().isEmpty(), run.err());
        return JSON.readTree(run.out());
    }
}
