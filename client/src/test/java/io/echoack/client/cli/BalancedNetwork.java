package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.echoack.common.testing.NamedNetworkNamespaces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The network the load balancer tests run on: a client host, a balancer host and three backend hosts on one
 * bridge, each a network namespace this class makes and removes (addresses from the benchmarking range
 * 198.18.0.0/15; nothing leaves the machine), with the programs run in them as a user runs them
 * ({@code bin/echoack-server}, {@code bin/echoack}, {@code haproxy}) by {@code ip netns exec}, and HAProxy's
 * view of its backends from its stats socket. Needs root, iproute2's {@code ip}, {@code haproxy} and
 * {@code bash}: the calling test is skipped without them, failed on a CI run as root.
 */
final class BalancedNetwork implements AutoCloseable {

    static final String CLIENT = "198.18.0.10";
    static final String BALANCER = "198.18.0.2";
    static final List<String> BACKENDS = List.of("backend-1", "backend-2", "backend-3");
    static final Map<String, String> BACKEND_ADDRESSES = Map.of(
            "backend-1", "198.18.0.11", "backend-2", "198.18.0.12", "backend-3", "198.18.0.13");
    /** Backends: the admin endpoint, /readyz for HAProxy's checks, /metrics for the tests. */
    static final int ADMIN_PORT = 9090;

    static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    static final Duration POLL = Duration.ofMillis(100);
    /** The repository root (failsafe runs in the client module's directory). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final NamedNetworkNamespaces hosts;
    private final Path dir;
    private final String haproxyBinary;
    private Path stats;
    private Started haproxy;
    private int processes;

    private BalancedNetwork(NamedNetworkNamespaces hosts, Path dir, String haproxyBinary) {
        this.hosts = hosts;
        this.dir = dir;
        this.haproxyBinary = haproxyBinary;
    }

    /**
     * Makes the hosts and the bridge, or skips (on CI: fails) the calling test when this machine cannot.
     *
     * @param label a short word for the test, part of every namespace's name
     * @param dir   where the programs' output, HAProxy's configuration and its stats socket go
     */
    static BalancedNetwork create(String label, Path dir) {
        NamedNetworkNamespaces.require(NamedNetworkNamespaces.onPath("bash").isPresent(), "needs bash");
        String haproxyBinary = NamedNetworkNamespaces.onPath("haproxy").map(Path::toString).orElse(null);
        NamedNetworkNamespaces.require(haproxyBinary != null,
                "needs haproxy (apt-get install haproxy; .ci/run installs it)");
        for (Path jar : List.of(ROOT.resolve("client/target/echoack.jar"),
                ROOT.resolve("server/target/echoack-server.jar"))) {
            assertTrue(Files.isRegularFile(jar), jar + " is missing: run 'mvn verify' (it packages the jars first)");
        }
        List<String> names = new ArrayList<>(List.of("switch", "client", "balancer"));
        names.addAll(BACKENDS);
        NamedNetworkNamespaces hosts = NamedNetworkNamespaces.create(label, names.toArray(String[]::new));
        try {
            Map<String, String> addresses = new LinkedHashMap<>();
            addresses.put("client", CLIENT + "/24");
            addresses.put("balancer", BALANCER + "/24");
            BACKENDS.forEach(b -> addresses.put(b, BACKEND_ADDRESSES.get(b) + "/24"));
            hosts.bridge("switch", "eth0", addresses);
            return new BalancedNetwork(hosts, dir, haproxyBinary);
        } catch (RuntimeException | Error e) {
            hosts.close();
            throw e;
        }
    }

    /** Ends the servers, HAProxy and anything else still running in the hosts, and removes the hosts. */
    @Override
    public void close() {
        hosts.close();
    }

    Path dir() {
        return dir;
    }

    /** Where HAProxy's configuration must put its stats socket ({@code stats socket PATH mode 600 level admin}). */
    Path statsSocket() {
        return dir.resolve("haproxy.sock");
    }

    /**
     * {@code bin/echoack-server --identity host=BACKEND FLAGS} on host {@code backend}: C1 only (a short run),
     * paranoid leak detection, whose reports the tests look for.
     */
    Started startBackend(String backend, List<String> flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/echoack-server").toString(),
                "--identity", "host=" + backend));
        command.addAll(flags);
        return start(backend, backend, command,
                Map.of("ECHOACK_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Dio.netty.leakDetection.level=paranoid"));
    }

    /** HAProxy on the balancer host with {@code config} (which puts its stats socket at {@link #statsSocket()}). */
    Started startHaproxy(String config) throws IOException, InterruptedException {
        stats = statsSocket();
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Started started = start("balancer", "haproxy", List.of(haproxyBinary, "-db", "-f", file.toString()));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(stats) && started.process().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        assertTrue(Files.exists(stats), () -> "haproxy did not start\n" + started);
        haproxy = started;
        return started;
    }

    /** The client host's {@code echoack ARGS}, started. */
    Started startEchoack(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/echoack").toString()));
        command.addAll(List.of(args));
        return start("client", "echoack", command);
    }

    /** The client host's {@code echoack ARGS}, run to its end. */
    Done echoack(String... args) throws Exception {
        return startEchoack(args).awaitExit(COMMAND_TIMEOUT);
    }

    Started start(String host, String name, List<String> command) throws IOException {
        return start(host, name, command, Map.of());
    }

    /** Starts {@code command} in {@code host}, with the test JVM's Java and without inherited ECHOACK_ variables. */
    Started start(String host, String name, List<String> command, Map<String, String> variables) throws IOException {
        int n = ++processes;
        Path out = dir.resolve(n + "-" + name + ".out");
        Path err = dir.resolve(n + "-" + name + ".err");
        ProcessBuilder builder = new ProcessBuilder(hosts.exec(host, command))
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(variable -> variable.startsWith("ECHOACK_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // no class data sharing archive trained in the background into ~/.cache (LauncherCdsIT tests that)
        env.put("ECHOACK_CDS", "off");
        env.putAll(variables);
        return new Started(host + ": " + String.join(" ", command), builder.start(), out, err);
    }

    // ---------------------------------------------------------------------------------------------------------
    // HAProxy's view, from its stats socket

    /** Waits until exactly {@code up} are UP in every backend (the rest DOWN), as HAProxy's stats say. */
    void awaitRotation(Set<String> up) throws Exception {
        awaitStatus(up, Set.of());
    }

    /**
     * Waits until exactly {@code up} are UP in every backend and {@code down} DOWN; servers in neither may be in
     * any state.
     */
    void awaitStatus(Set<String> up, Set<String> down) throws Exception {
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        List<Map<String, String>> rows = List.of();
        boolean everyOther = down.isEmpty(); // no down set given: every server not up must be down
        while (System.nanoTime() < deadline) {
            rows = stats();
            boolean settled = !rows.isEmpty();
            for (Map<String, String> row : rows) {
                String server = row.get("svname");
                String wanted = up.contains(server) ? "UP" : everyOther || down.contains(server) ? "DOWN" : null;
                if (BACKENDS.contains(server) && wanted != null && !wanted.equals(row.get("status"))) {
                    settled = false;
                }
            }
            if (settled) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        fail("HAProxy did not get to " + up + " UP" + (everyOther ? "" : " and " + down + " DOWN") + " within "
                + CHECK_TIMEOUT + ": " + summary(rows) + "\n" + haproxy);
    }

    /** The servers' rows of {@code show stat}, one line each: backend/server, status, check status and code. */
    static String summary(List<Map<String, String>> rows) {
        StringBuilder lines = new StringBuilder();
        rows.stream().filter(r -> BACKENDS.contains(r.get("svname"))).forEach(r -> lines.append("\n  ")
                .append(r.get("pxname")).append('/').append(r.get("svname")).append(' ').append(r.get("status"))
                .append(' ').append(r.get("check_status")).append(' ').append(r.get("check_code")));
        return lines.toString();
    }

    Map<String, String> stat(String backend, String server) throws Exception {
        return stats().stream().filter(r -> r.get("pxname").equals(backend) && r.get("svname").equals(server))
                .findFirst().orElseThrow(() -> new AssertionError("no " + backend + "/" + server + " in HAProxy's stats"));
    }

    /** Sessions HAProxy sent to each server of {@code backend} since it started ({@code stot}). */
    Map<String, Long> sessionsPerServer(String backend) throws Exception {
        Map<String, Long> sessions = new TreeMap<>();
        for (Map<String, String> row : stats()) {
            if (row.get("pxname").equals(backend) && BACKENDS.contains(row.get("svname"))) {
                sessions.put(row.get("svname"), Long.parseLong(row.get("stot")));
            }
        }
        return sessions;
    }

    /** HAProxy's {@code show stat}: one map per proxy or server, column name to value. */
    List<Map<String, String>> stats() throws IOException {
        String csv = statsCommand("show stat");
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            return List.of();
        }
        String[] columns = lines.get(0).substring(2).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.length && i < values.length; i++) {
                row.put(columns[i], values[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private String statsCommand(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(stats));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Channels.newInputStream(channel).transferTo(out); // HAProxy closes after one command
            return out.toString(StandardCharsets.US_ASCII);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Processes in the hosts, their output in files (nothing to pump, nothing to block on)

    record Started(String description, Process process, Path out, Path err) {

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        boolean awaitStderr(Predicate<String> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.test(stderr())) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    return condition.test(stderr());
                }
                Thread.sleep(POLL.toMillis());
            }
            return true;
        }

        Done awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("'" + description + "' did not finish within " + timeout + "\n" + this);
            }
            return new Done(description, process.exitValue(), stdout(), stderr());
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "--- " + description + "\n--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr();
        }
    }

    record Done(String description, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "--- " + description + ": exit code " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n"
                    + stderr;
        }
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
