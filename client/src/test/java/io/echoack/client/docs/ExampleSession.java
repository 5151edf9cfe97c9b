package io.echoack.client.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.docs.DocExamples.Block;
import io.echoack.client.docs.DocExamples.Command;
import io.echoack.common.testing.Ipv6Loopback;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * One document's examples run as a reader would run them, one block after the other: a scratch copy of the
 * repository root to work in, the servers the document starts, and the fixed ports and {@code /tmp} paths of
 * the document moved out of the way of everything else on the machine. Closing it stops every server.
 */
final class ExampleSession implements AutoCloseable {

    /** The alias the README gives its readers, defined before every command. */
    static final String ALIAS = "alias echoack=$PWD/bin/echoack";

    /** Tools a block may use, with the Debian package that has each: the block is skipped without it. */
    private static final Map<String, String> TOOLS = Map.of(
            "nc.openbsd", "netcat-openbsd",
            "socat", "socat",
            "gcc", "gcc",
            "openssl", "openssl");

    /** A port in a command: {@code HOST:PORT}, {@code HOST PORT} (the tutorial's form), bracketed IPv6 too. */
    private static final Pattern PORT = Pattern.compile(
            "(?:\\b(?:\\d{1,3}\\.){3}\\d{1,3}|\\blocalhost|\\[[0-9a-fA-F:]+\\])[: ](\\d{4,5})(?!\\d)");
    private static final Pattern TMP = Pattern.compile("(?<![\\w.~-])/tmp/");
    private static final Pattern TMP_PATH = Pattern.compile("(?<![\\w.~-])/tmp/[\\w.@-]+");
    private static final Pattern WRITTEN = Pattern.compile("(?:\\s-o|\\s-out|\\s-keyout|>)\\s*([\\w./-]+)");
    private static final Pattern LISTENING = Pattern.compile("listening on ");
    private static final Pattern LISTEN = Pattern.compile("(?:^|\\s)(?:-l|--listen)[\\s=]");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path workDir;
    private final Path privateTmp;
    private final Path scripts;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Deque<Server> servers = new ArrayDeque<>();
    /** Ports and /tmp paths of servers that were skipped or failed, with the reason. */
    private final Map<String, String> unavailable = new LinkedHashMap<>();
    private int scriptCount;
    /** Why the last server block did not start, if it did not: its output cannot be checked. */
    private String lastServerProblem;
    /** Set when a block was skipped after the last server start or output check. */
    private String skippedSinceServerCheck;

    /**
     * @param repository the repository root (its entries are linked into the scratch directory)
     * @param scratch an empty directory this session owns
     * @param docPorts the fixed ports the document's commands use, each moved to a free one
     */
    ExampleSession(Path repository, Path scratch, Set<Integer> docPorts) throws IOException {
        this.workDir = Files.createDirectories(scratch.resolve("root"));
        this.privateTmp = Files.createDirectories(scratch.resolve("tmp"));
        this.scripts = Files.createDirectories(scratch.resolve("scripts"));
        try (Stream<Path> entries = Files.list(repository)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().equals(".git")) {
                    Files.createSymbolicLink(workDir.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
        Set<Integer> taken = new LinkedHashSet<>();
        for (int port : docPorts) {
            int free = freePort(taken);
            taken.add(free);
            ports.put(String.valueOf(port), free);
        }
    }

    /** The fixed ports (1024 and up) the commands of these blocks use. */
    static Set<Integer> portsOf(List<Block> blocks) {
        Set<Integer> found = new LinkedHashSet<>();
        for (Block block : blocks) {
            for (Command command : block.commands()) {
                Matcher m = PORT.matcher(command.text());
                while (m.find()) {
                    int port = Integer.parseInt(m.group(1));
                    if (port >= 1024 && port <= 65535) {
                        found.add(port);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Runs one block: its commands in order, or its server output check. A block that is skipped (its
     * assumption fails) may have been meant to make a server print something: the next server output check
     * is skipped too.
     */
    void run(Block block) throws Exception {
        try {
            runOrSkip(block);
        } catch (TestAbortedException skipped) {
            skippedSinceServerCheck = "an earlier block was not run: " + skipped.getMessage();
            throw skipped;
        }
    }

    private void runOrSkip(Block block) throws Exception {
        String text = String.join("\n", block.lines());
        Set<String> provided = new LinkedHashSet<>();
        for (Command command : block.commands()) {
            if (command.background() || block.directives().server()) {
                provided.addAll(resources(command.text()));
            }
        }
        for (Map.Entry<String, String> e : List.copyOf(unavailable.entrySet())) {
            if (!provided.contains(e.getKey()) && mentions(text, e.getKey())) {
                String reason = "needs " + e.getKey() + ", from the block " + e.getValue();
                skipDependents(block, reason);
                assumeTrue(false, reason);
            }
        }
        provided.forEach(unavailable::remove);
        for (Map.Entry<String, String> tool : TOOLS.entrySet()) {
            if (Pattern.compile("(?<![\\w.-])" + Pattern.quote(tool.getKey()) + "(?![\\w.-])").matcher(text).find()) {
                requireTool(block, tool.getKey(), tool.getValue());
            }
        }
        if (block.directives().terminal()) {
            requireTool(block, "script", "bsdutils");
        }
        if (text.contains("[::1]")) {
            assumeIpv6(block);
        }
        if (block.directives().serverOutput()) {
            assumeTrue(lastServerProblem == null, () -> "the server of this output " + lastServerProblem);
            String skipped = skippedSinceServerCheck;
            skippedSinceServerCheck = null;
            assumeTrue(skipped == null, () -> "not checked: " + skipped);
            checkServerOutput(block);
            return;
        }
        Deque<String> typed = new ArrayDeque<>(block.directives().typed());
        for (Command command : block.commands()) {
            if (command.background() || block.directives().server()) {
                startServer(block, command);
            } else {
                runCommand(block, command, typed);
            }
        }
        assertTrue(typed.isEmpty(), () -> block.where() + ": typed text " + typed + " is in no transcript");
    }

    private void requireTool(Block block, String tool, String debianPackage) {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (!found) {
            skipDependents(block, tool + " is not installed (apt-get install " + debianPackage + ")");
        }
        assumeTrue(found, () -> tool + " is not installed (apt-get install " + debianPackage + "): not run");
    }

    private void assumeIpv6(Block block) {
        boolean usable = Ipv6Loopback.isUsable();
        if (!usable) {
            skipDependents(block, "IPv6 loopback (::1) is not available here");
        }
        assumeTrue(usable, "IPv6 loopback (::1) is not available here: not run");
    }

    /**
     * A block that is not run takes with it the blocks that talk to its servers' ports and paths, or use the
     * files its commands write ({@code -o}, {@code -out}, {@code -keyout}, {@code >}).
     */
    private void skipDependents(Block block, String reason) {
        for (Command command : block.commands()) {
            Set<String> needed = new LinkedHashSet<>();
            if (command.background() || block.directives().server()) {
                needed.addAll(resources(command.text()));
                lastServerProblem = "(" + block.where() + ") is not run: " + reason;
            }
            Matcher written = WRITTEN.matcher(command.text());
            while (written.find()) {
                if (!written.group(1).startsWith("/dev/")) {
                    needed.add(written.group(1));
                }
            }
            for (String resource : needed) {
                unavailable.put(resource, "(" + block.where() + ") is not run: " + reason);
            }
        }
    }

    // ------------------------------------------------------------------ commands

    private void runCommand(Block block, Command command, Deque<String> typed) throws Exception {
        Path script = script(command.text());
        List<String> argv = block.directives().terminal()
                ? List.of("script", "-qefc", "bash " + script, "/dev/null")
                : List.of("bash", script.toString());
        Process process = start(argv, null);
        Output output = Output.drain(process.getInputStream());
        try (OutputStream stdin = process.getOutputStream()) {
            if (block.directives().terminal()) {
                type(block, command, process, output, stdin, typed);
            }
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(block.where() + ": '" + command.text() + "' did not finish within " + COMMAND_TIMEOUT
                        + "; it printed:\n" + mapBack(output.text()));
            }
        } finally {
            stopTree(process);
        }
        output.await();
        String actual = mapBack(output.text());
        String context = block.where() + ", line " + command.line() + ": $ " + command.text();
        assertEquals(0, process.exitValue(), () -> context + "\nexited with " + process.exitValue()
                + " (an example must succeed; show a failure as 'cmd; echo \"exit code $?\"'); it printed:\n"
                + actual);
        boolean matches = block.directives().shape()
                ? OutputShape.matchesShape(command.expected(), actual)
                : OutputShape.matchesExactly(command.expected(), actual);
        if (!matches) {
            fail(context + "\n--- the document shows" + (block.directives().shape() ? " (by shape)" : "")
                    + ":\n" + String.join("\n", command.expected()) + "\n--- it printed:\n"
                    + String.join("\n", OutputShape.lines(actual)) + "\n---");
        }
    }

    /**
     * Types the block's next typed lines that this command's transcript shows, each once the output shown
     * before it has appeared; the rest are left for the block's next commands.
     */
    private void type(Block block, Command command, Process process, Output output, OutputStream stdin,
            Deque<String> pending) throws Exception {
        String shown = String.join("\n", command.expected());
        int from = 0;
        while (!pending.isEmpty() && shown.indexOf(pending.peek(), from) >= 0) {
            String typed = pending.poll();
            int at = shown.indexOf(typed, from);
            String before = shown.substring(0, at);
            long deadline = System.nanoTime() + OUTPUT_TIMEOUT.toNanos();
            while (!mapBack(output.text()).replace("\r\n", "\n").startsWith(before)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    fail(block.where() + ": waited for the prompt before \"" + typed + "\":\n" + before
                            + "\n--- it printed:\n" + mapBack(output.text()));
                }
                Thread.sleep(20);
            }
            stdin.write((typed + "\n").getBytes(UTF_8));
            stdin.flush();
            from = at + typed.length();
        }
    }

    // ------------------------------------------------------------------ servers

    private void startServer(Block block, Command command) throws Exception {
        try {
            startServerOrFail(block, command);
            lastServerProblem = null;
            skippedSinceServerCheck = null;
        } catch (Throwable t) {
            for (String resource : resources(command.text())) {
                unavailable.put(resource, "(" + block.where() + ") failed to start");
            }
            lastServerProblem = "(" + block.where() + ") failed to start";
            if (!servers.isEmpty() && servers.peek().where().startsWith(block.where())) {
                servers.pop().stop();
            }
            throw t;
        }
    }

    private void startServerOrFail(Block block, Command command) throws Exception {
        Set<String> resources = resources(command.text());
        // As a reader would: stop the server that holds a port or path this one needs.
        for (Server running : List.copyOf(servers)) {
            if (running.resources().stream().anyMatch(resources::contains)) {
                running.stop();
                servers.remove(running);
            }
        }
        Path log = Files.createTempFile(scripts, "server", ".log");
        Process process = start(List.of("bash", script(command.text()).toString()), log);
        Server server = new Server(block.where() + ", line " + command.line(), process, log, resources);
        servers.push(server);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        boolean echoackServer = command.text().contains("echoack-server");
        long listeners = LISTEN.matcher(command.text()).results().count();
        if (command.expected().isEmpty()) {
            assertTrue(echoackServer && listeners > 0, () -> server.where() + ": show the server's start-up "
                    + "output under its command, so that the test knows when it is ready"
                    + " (bin/echoack-server: name its endpoints with -l)");
        }
        String seen = "";
        long quietSince = System.nanoTime();
        while (true) {
            String out = mapBack(server.output());
            if (!out.equals(seen)) {
                seen = out;
                quietSince = System.nanoTime();
            }
            // Start-up lines that do not match, and nothing more for a while: no need to wait for the deadline.
            boolean settledOnOther = !command.expected().isEmpty()
                    && OutputShape.lines(out).size() >= command.expected().size()
                    && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3);
            int startupLines = command.expected().isEmpty()
                    ? (LISTENING.matcher(out).results().count() >= listeners ? OutputShape.lines(out).size() : -1)
                    : OutputShape.prefixLines(command.expected(), out);
            if (startupLines >= 0) {
                server.consumed = startupLines;
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline || settledOnOther) {
                String why = !process.isAlive() ? "exited with " + process.exitValue()
                        : settledOnOther ? "started, but not with the lines the document shows"
                        : "not ready within " + READY_TIMEOUT;
                fail(server.where() + ": $ " + command.text() + "\n" + why + "\n--- the document shows (by shape):\n"
                        + String.join("\n", command.expected()) + "\n--- it printed:\n" + out + "\n---");
            }
            Thread.sleep(50);
        }
    }

    /** The lines of a "server output" block against what the last server printed since its last check. */
    private void checkServerOutput(Block block) throws Exception {
        assertTrue(!servers.isEmpty(), () -> block.where() + ": 'server output' but no server is running");
        Server server = servers.peek();
        long deadline = System.nanoTime() + OUTPUT_TIMEOUT.toNanos();
        List<String> expected = block.lines();
        List<String> fresh = List.of();
        while (System.nanoTime() < deadline) {
            List<String> all = OutputShape.lines(mapBack(server.output()));
            fresh = all.subList(Math.min(server.consumed, all.size()), all.size());
            if (fresh.size() >= expected.size()) {
                break;
            }
            Thread.sleep(50);
        }
        boolean matches = block.directives().shape()
                ? OutputShape.matchesShape(expected, fresh) : OutputShape.matchesExactly(expected, fresh);
        if (!matches) {
            fail(block.where() + ": the output of the server of " + server.where() + "\n--- the document shows:\n"
                    + String.join("\n", expected) + "\n--- it printed:\n" + String.join("\n", fresh) + "\n---");
        }
        server.consumed += fresh.size();
    }

    /** Stops every server, and removes the links to the repository (so that no cleanup can follow them). */
    @Override
    public void close() throws Exception {
        while (!servers.isEmpty()) {
            servers.pop().stop();
        }
        try (Stream<Path> entries = Files.list(workDir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }

    /** A server a block started: its process, log, and the ports and paths it holds (as the document names them). */
    private static final class Server {
        private final String where;
        private final Process process;
        private final Path log;
        private final Set<String> resources;
        int consumed;

        Server(String where, Process process, Path log, Set<String> resources) {
            this.where = where;
            this.process = process;
            this.log = log;
            this.resources = resources;
        }

        String where() {
            return where;
        }

        Set<String> resources() {
            return resources;
        }

        String output() throws IOException {
            return Files.readString(log, UTF_8);
        }

        void stop() throws InterruptedException {
            stopTree(process);
        }
    }

    // ------------------------------------------------------------------ processes and rewriting

    /** The document's ports (in any form: {@code -p 5002} too) and the /tmp paths a command names. */
    private Set<String> resources(String command) {
        Set<String> found = new LinkedHashSet<>();
        for (String port : ports.keySet()) {
            if (mentions(command, port)) {
                found.add(port);
            }
        }
        Matcher path = TMP_PATH.matcher(command);
        while (path.find()) {
            found.add(path.group());
        }
        return found;
    }

    private static boolean mentions(String text, String resource) {
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(resource) + "(?![\\w])").matcher(text).find();
    }

    /** The command with the document's ports and /tmp paths moved to this session's. */
    String rewrite(String command) {
        String out = TMP.matcher(command).replaceAll(Matcher.quoteReplacement(privateTmp + "/"));
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            out = out.replaceAll("(?<![\\w.])" + port.getKey() + "(?!\\d)", String.valueOf(port.getValue()));
        }
        return out;
    }

    /** Output with this session's ports and paths written back as the document has them. */
    String mapBack(String output) {
        String out = output.replace(privateTmp + "/", "/tmp/");
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            out = out.replaceAll("(?<![\\w.])" + port.getValue() + "(?!\\d)", port.getKey());
        }
        return out;
    }

    private Path script(String command) throws IOException {
        Path script = scripts.resolve("command-" + (++scriptCount) + ".sh");
        Files.writeString(script, "cd " + quote(workDir.toString()) + "\n"
                + "shopt -s expand_aliases\n"
                + ALIAS + "\n"
                + rewrite(command) + "\n", UTF_8);
        return script;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Starts argv in the work directory; output (stdout and stderr together) to a pipe, or to {@code log}. */
    private Process start(List<String> argv, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("ECHOACK_") || key.equals("JAVA_OPTS"));
        // no class data sharing archive trained in the background into ~/.cache (LauncherCdsIT tests that)
        env.put("ECHOACK_CDS", "off");
        env.put("LC_ALL", "C.UTF-8");
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        return builder.start();
    }

    /** SIGTERM to the process and everything it started, then SIGKILL to what is left after a while. */
    private static void stopTree(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle handle : tree) {
            while (handle.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            handle.destroyForcibly();
        }
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** A port free for TCP and UDP on 127.0.0.1, below the ephemeral range so that no client socket takes it. */
    private static int freePort(Set<Integer> taken) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket tcp = new ServerSocket();
                    DatagramSocket udp = new DatagramSocket(null)) {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress("127.0.0.1", port));
                udp.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port found between 20000 and 32000");
    }

    /** Everything a process prints, collected by a thread of its own. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Thread reader;

        static Output drain(InputStream in) {
            Output output = new Output();
            output.reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        synchronized (output.bytes) {
                            output.bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "example-output");
            output.reader.setDaemon(true);
            output.reader.start();
            return output;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(UTF_8);
            }
        }

        void await() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
