package io.echoack.client.cli;

import static io.echoack.client.cli.BalancedNetwork.ADMIN_PORT;
import static io.echoack.client.cli.BalancedNetwork.BACKENDS;
import static io.echoack.client.cli.BalancedNetwork.BALANCER;
import static io.echoack.client.cli.BalancedNetwork.BACKEND_ADDRESSES;
import static io.echoack.client.cli.BalancedNetwork.START_TIMEOUT;
import static io.echoack.client.cli.BalancedNetwork.STOP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.cli.BalancedNetwork.Started;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why {@code --drain-delay} exists: a rolling restart behind HAProxy, on the network of {@link BalancedNetwork}.
 * {@code echoack bench} sends at a fixed rate through the balancer, a new connection per message, while the three
 * backends are stopped one by one with SIGTERM and started again. The balancer is set up as a plain one (no
 * retries, no redispatch: what kube-proxy does too), so that a connection it sends to a backend that no longer
 * listens fails at the client.
 *
 * <p>The first rollout replaces servers that have no drain delay: each one closes its listener at SIGTERM, and
 * for up to HAProxy's check interval times its fall count the balancer still sends it new connections, which
 * fail. The servers started by that rollout have a drain delay longer than that, and the second rollout, which
 * replaces them, loses nothing: each one stays not-ready but serving until HAProxy has taken it out. The
 * order is the story (before the flag, then with it), hence the ordered tests.
 */
@Timeout(150)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingRestartIT {

    /** Backends: acks; the balancer's frontend for them. Fixed: each host is a namespace of this test's own. */
    private static final int PORT = 51717;
    /** HAProxy's health check: every 200 ms, DOWN after 2 failures: a backend is out within about 400 ms. */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(200);
    private static final int FALL = 2;
    /** Five times the check interval times the fall count: room for a check that comes late on a busy machine. */
    private static final Duration DRAIN_DELAY = CHECK_INTERVAL.multipliedBy(FALL * 5L);
    /** Messages per second through the balancer, each on its own connection. */
    private static final int RATE = 100;
    /** Bench runs this long before the first SIGTERM and after the last backend is back. */
    private static final Duration STEADY = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static BalancedNetwork network;
    private static final Map<String, Started> backends = new LinkedHashMap<>();
    /** Measured failed messages per rollout, for the report at the end. */
    private static final Map<String, String> measured = new LinkedHashMap<>();

    @BeforeAll
    static void buildTheNetwork() throws Exception {
        network = BalancedNetwork.create("rr", dir);
        for (String backend : BACKENDS) {
            backends.put(backend, startBackend(backend, Duration.ZERO));
        }
        for (String backend : BACKENDS) {
            awaitListening(backend);
        }
        network.startHaproxy(haproxyConfig());
        network.awaitRotation(Set.copyOf(BACKENDS));
    }

    @AfterAll
    static void tearDown() {
        try {
            if (network != null) {
                network.close(); // ends the servers, HAProxy and the bench if still running
            }
        } finally {
            backends.clear();
            System.out.println("RollingRestartIT: failed messages: " + measured);
        }
    }

    @Test
    @Order(1)
    void withoutADrainDelayARollingRestartLosesMessages() throws Exception {
        Rollout rollout = rollingRestart(DRAIN_DELAY); // the servers it starts have the delay: the next test's
        measured.put("--drain-delay 0", rollout.toString());
        assertTrue(rollout.failed() > 0, "a server that stops listening at SIGTERM gets connections it refuses "
                + "until HAProxy's checks take it out: " + rollout + "\n" + rollout.bench());
    }

    @Test
    @Order(2)
    void withADrainDelayLongerThanTheChecksARollingRestartLosesNothing() throws Exception {
        Rollout rollout = rollingRestart(DRAIN_DELAY);
        measured.put("--drain-delay " + DRAIN_DELAY.toMillis() + "ms", rollout.toString());
        assertEquals(0, rollout.failed(), () -> "HAProxy took each backend out while it still served: " + rollout
                + "\n" + rollout.bench());
        assertTrue(rollout.sent() >= RATE, "the bench ran through the rollout: " + rollout);
    }

    /**
     * Bench through the balancer while each backend in turn gets SIGTERM, exits (0) and is started again (with
     * {@code nextDrainDelay}) and is back in rotation; then what the bench counted.
     */
    private static Rollout rollingRestart(Duration nextDrainDelay) throws Exception {
        Started bench = network.startEchoack("bench", "tcp://" + BALANCER + ":" + PORT, "--connect-per-message",
                "-c", "8", "--rate", Integer.toString(RATE), "--duration", "10m", "--warmup", "0", "--timeout", "5s",
                "-q", "--json", "-");
        Thread.sleep(STEADY.toMillis());
        assertTrue(bench.process().isAlive(), bench::toString);
        for (String backend : BACKENDS) {
            Started old = backends.get(backend);
            old.process().destroy(); // SIGTERM
            Set<String> others = new HashSet<>(BACKENDS);
            others.remove(backend);
            network.awaitStatus(others, Set.of(backend)); // taken out by its checks
            assertTrue(old.process().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS), old::toString);
            assertEquals(0, old.process().exitValue(), old::toString);
            assertFalse(old.stderr().contains("LEAK"), old::toString);
            backends.put(backend, startBackend(backend, nextDrainDelay));
            awaitListening(backend);
            network.awaitRotation(Set.copyOf(BACKENDS));
        }
        Thread.sleep(STEADY.toMillis());
        bench.process().destroy(); // SIGTERM: the bench stops and reports what it measured
        BalancedNetwork.Done done = bench.awaitExit(STOP_TIMEOUT);
        JsonNode result = JSON.readTree(done.stdout());
        return new Rollout(result.get("messages").asLong(), result.get("errors").get("total").asLong(),
                result.get("errors").toString(), done.toString());
    }

    /** What the bench counted over one rolling restart: messages answered, and messages that failed. */
    private record Rollout(long sent, long failed, String errors, String bench) {
        @Override
        public String toString() {
            return failed + " failed of " + (sent + failed) + " messages (errors " + errors + ")";
        }
    }

    private static Started startBackend(String backend, Duration drainDelay) throws Exception {
        return network.startBackend(backend, List.of(
                "-l", "tcp://0.0.0.0:" + PORT,
                "--admin", "http://0.0.0.0:" + ADMIN_PORT,
                "--drain-delay", drainDelay.toMillis() + "ms",
                "--drain-timeout", "5s",
                "--threads", "1"));
    }

    private static void awaitListening(String backend) throws InterruptedException {
        Started server = backends.get(backend);
        assertTrue(server.awaitStderr(err -> err.contains("listening on ") && err.contains("admin endpoint on"),
                START_TIMEOUT), () -> backend + " did not start\n" + server);
    }

    /**
     * A round-robin backend of the three servers, checked on their admin port ({@code GET /readyz}), with no
     * retry on another server: a connection sent to a backend that refuses it fails, as it would behind
     * kube-proxy.
     */
    private static String haproxyConfig() {
        List<String> lines = new ArrayList<>(List.of(
                "global",
                "    stats socket " + network.statsSocket() + " mode 600 level admin",
                "    maxconn 1000",
                "defaults",
                "    mode tcp",
                "    timeout connect 2s",
                "    timeout client 30s",
                "    timeout server 30s",
                "    timeout check 1s",
                "    retries 0",
                "frontend echoack",
                "    bind " + BALANCER + ":" + PORT,
                "    default_backend echoack",
                "backend echoack",
                "    balance roundrobin",
                "    option httpchk GET /readyz",
                "    default-server check port " + ADMIN_PORT + " inter " + CHECK_INTERVAL.toMillis() + "ms fall "
                        + FALL + " rise 1"));
        for (String b : BACKENDS) {
            lines.add("    server " + b + " " + BACKEND_ADDRESSES.get(b) + ":" + PORT);
        }
        lines.add("");
        return String.join("\n", lines);
    }
}
