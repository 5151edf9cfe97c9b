package io.echoack.common.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for one test class, each a network namespace made with iproute2's {@code ip netns}, so that a test can
 * give them interfaces and addresses of their own (joined by veth pairs, or by a bridge in a namespace of its
 * own) without touching the machine's network. The names are unique per run,
 * {@code echoack-LABEL-PID-RANDOM-HOST}, so that concurrent runs never meet. {@link #close()} ends every
 * process still in them (whoever started it) and deletes them; a shutdown hook does the same if the JVM is
 * stopped (SIGINT, SIGTERM, a build timeout) before that.
 *
 * <p>Making them needs root and {@code ip}. Without either the calling test is skipped with the reason, except
 * on a CI run as root ({@code CI=true}, as {@code .ci/run} sets it, which installs what is needed): a test that
 * such a run skipped would prove nothing, so there it fails. {@link #require} applies the same rule to what else
 * a test needs (a program, say).
 */
public final class NamedNetworkNamespaces implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** Interface names are at most 15 bytes; a bridge port is named after its host's position. */
    private static final String BRIDGE = "br0";

    private final String prefix;
    private final Map<String, String> names = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Thread shutdownHook;

    private NamedNetworkNamespaces(String label) {
        this.prefix = "echoack-" + label + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000)) + "-";
        this.shutdownHook = new Thread(this::removeAll, "remove network namespaces " + prefix + "*");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Makes one namespace per host, each with its loopback interface up, or skips (fails on CI as root) the
     * calling test when this machine cannot.
     *
     * @param label a short word for the test, part of every name
     * @param hosts the hosts' names, used with {@link #name}, {@link #exec} and the rest
     */
    public static NamedNetworkNamespaces create(String label, String... hosts) {
        require(onPath("ip").isPresent(), "needs iproute2's ip (apt-get install iproute2)");
        assumeTrue(isRoot(), "needs root to make network namespaces (ip netns)");
        NamedNetworkNamespaces namespaces = new NamedNetworkNamespaces(label);
        try {
            for (String host : hosts) {
                namespaces.add(host);
            }
            return namespaces;
        } catch (RuntimeException | Error e) {
            namespaces.close();
            throw e;
        }
    }

    /**
     * Skips the calling test with {@code reason} unless {@code met}; on a CI run as root, fails it instead,
     * since CI is where the test must run.
     */
    public static void require(boolean met, String reason) {
        if (met) {
            return;
        }
        switch (unmet(isCi(), isRoot())) {
            case FAIL -> fail(reason + " (a CI run as root must run this test)");
            case SKIP -> assumeTrue(false, reason);
        }
    }

    /** What a test whose requirement is not met does. */
    enum Unmet { SKIP, FAIL }

    /** A CI run as root must run these tests, so there an unmet requirement fails; elsewhere it skips. */
    static Unmet unmet(boolean ci, boolean root) {
        return ci && root ? Unmet.FAIL : Unmet.SKIP;
    }

    /** The executable {@code name} on the PATH, or in the sbin directories root's PATH has and others' may not. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin:/usr/local/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    private void add(String host) {
        String name = prefix + host;
        Result made = run(List.of("ip", "netns", "add", name));
        if (made.exitCode() != 0) {
            require(false, "cannot make a network namespace here: " + made.output().strip());
        }
        names.put(host, name);
        ip("-n", name, "link", "set", "lo", "up");
    }

    /** The namespace's name of {@code host}, for {@code ip -n NAME} and {@code ip netns exec NAME}. */
    public String name(String host) {
        String name = names.get(host);
        if (name == null) {
            throw new IllegalArgumentException("no host " + host + " (hosts: " + names.keySet() + ")");
        }
        return name;
    }

    /** {@code command} run in {@code host}'s namespace: {@code ip netns exec NAME command...}. */
    public List<String> exec(String host, List<String> command) {
        List<String> prefixed = new ArrayList<>(List.of("ip", "netns", "exec", name(host)));
        prefixed.addAll(command);
        return prefixed;
    }

    /** Joins two hosts by a veth pair, {@code ifA} in {@code a} and {@code ifB} in {@code b}, both up. */
    public void veth(String a, String ifA, String b, String ifB) {
        ip("-n", name(a), "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", name(b));
        ip("-n", name(a), "link", "set", ifA, "up");
        ip("-n", name(b), "link", "set", ifB, "up");
    }

    /**
     * Joins hosts by a bridge in {@code switchHost}, as on one Ethernet segment: each host gets an interface
     * {@code ifName}, up, with its address ({@code 198.18.0.10/24}), its other end a port of the bridge.
     */
    public void bridge(String switchHost, String ifName, Map<String, String> addresses) {
        String sw = name(switchHost);
        ip("-n", sw, "link", "add", BRIDGE, "type", "bridge");
        ip("-n", sw, "link", "set", BRIDGE, "up");
        int port = 0;
        for (Map.Entry<String, String> host : addresses.entrySet()) {
            String portName = "port" + ++port;
            veth(switchHost, portName, host.getKey(), ifName);
            ip("-n", sw, "link", "set", portName, "master", BRIDGE);
            ip("-n", name(host.getKey()), "addr", "add", host.getValue(), "dev", ifName);
        }
    }

    /** Runs {@code ip ARGS}; fails the test, with what ip said, when it fails. */
    public void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result result = run(command);
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + ": exit code " + result.exitCode() + ": " + result.output().strip());
        }
    }

    /** Ends every process in the namespaces (SIGTERM, then SIGKILL), then deletes them. */
    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private void removeAll() {
        List<String> all;
        synchronized (names) {
            all = new ArrayList<>(names.values());
            names.clear();
        }
        Collections.reverse(all);
        List<ProcessHandle> inside = new ArrayList<>();
        for (String name : all) {
            Result pids = run(List.of("ip", "netns", "pids", name));
            pids.output().lines().map(String::strip).filter(line -> line.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(inside::add));
        }
        inside.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle process : inside) {
            try {
                long left = Math.max(deadline - System.nanoTime(), 0);
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception stillThere) {
                process.destroyForcibly();
            }
        }
        for (String name : all) {
            // Deleting a namespace deletes the interfaces in it, and so the veth pairs and the bridge.
            run(List.of("ip", "netns", "delete", name));
        }
    }

    private static boolean isCi() {
        return "true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).strip());
    }

    private static boolean isRoot() {
        Result id = run(List.of("id", "-u"));
        return id.exitCode() == 0 && id.output().strip().equals("0");
    }

    /** What a short command printed (stdout and stderr) and its exit code; -1 when it could not run. */
    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("echoack-netns", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", command) + ": interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind; nothing the test needs
                }
            }
        }
    }
}
