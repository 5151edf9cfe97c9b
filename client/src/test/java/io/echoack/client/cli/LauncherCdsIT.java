package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.testing.TestServer;
import io.echoack.common.transport.Transport;
import io.netty.channel.epoll.Epoll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' class data sharing (bin/echoack-cds.sh), run as a user runs them: the first run of a jar
 * answers as always and leaves an archive behind, the next run maps it, a rebuilt jar never maps the old one,
 * and a cache directory that cannot be written, or none at all, changes nothing. No run prints a word about
 * archives. Each test has its own cache directory (ECHOACK_CDS_DIR) and waits for the training it started.
 */
@Timeout(180)
class LauncherCdsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CLIENT_JAR = Path.of("target/echoack.jar").toAbsolutePath();
    private static final long TRAINING_TIMEOUT_MS = 120_000;
    private static final String CLIENT = "echoack";
    private static final String SERVER = "echoack-server";
    private static final String REPLY = "I got your message\n";
    /**
     * How -Xlog:class+load names an echoack class that came from an archive: the JDK's own archive has none, so
     * only one made for the jar can be its source.
     */
    private static final String FROM_ARCHIVE = "io.echoack.client.cli.SendCommand source: shared objects file";

    @TempDir
    Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isRegularFile(CLIENT_JAR), CLIENT_JAR + " is missing: run 'mvn verify'");
        server = TestServer.start(Transport.select(Transport.AUTO).transport(), List.of("tcp://127.0.0.1:0"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theFirstRunLeavesAnArchiveThatTheNextRunMaps() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("ECHOACK_CDS_DIR", cache.toString(), "JAVA_OPTS", classLog());

        Run first = echoack(env, "send", endpoint(), "hi");
        first.assertReplied();
        assertFalse(first.classes().contains(FROM_ARCHIVE), "no archive yet, none mapped");
        Path archive = awaitArchive(cache, CLIENT);

        Run second = echoack(env, "send", endpoint(), "hi");
        second.assertReplied();
        assertTrue(second.classes().contains(FROM_ARCHIVE)
                        && second.classes().contains("io.netty.bootstrap.Bootstrap source: shared objects file")
                        && second.classes().contains("picocli.CommandLine source: shared objects file"),
                "the second run maps " + archive + ":\n" + head(second.classes()));
        assertEquals(List.of(), fromTheJar(second.classes()),
                "the training went through a whole send (the reply read, the connection closed): none of echoack's "
                        + "or Netty's classes is read from the jar");
        assertEquals(List.of(archive), archives(cache, CLIENT), "one archive, kept");
    }

    @Test
    void theArchiveAlsoHoldsWhatARefusedSendLoads() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("ECHOACK_CDS_DIR", cache.toString(), "JAVA_OPTS", classLog());
        echoack(env, "send", endpoint(), "hi").assertReplied();
        awaitArchive(cache, CLIENT);

        Run refused = echoack(env, "send", "tcp://127.0.0.1:" + closedPort(), "hi");
        assertEquals(ExitCodes.REFUSED, refused.exitCode(), refused.toString());
        assertTrue(refused.classes().contains(FROM_ARCHIVE), "the archive is mapped");
        assertEquals(List.of(), fromTheJar(refused.classes()),
                "a refusal reads nothing of echoack or Netty from the jar");
    }

    @Test
    void aRebuiltJarNeverMapsTheOldArchiveAndGetsItsOwn() throws Exception {
        Path cache = dir.resolve("cache");
        Path jar = Files.copy(CLIENT_JAR, dir.resolve("echoack.jar"));
        Map<String, String> env = Map.of("ECHOACK_CDS_DIR", cache.toString(), "ECHOACK_CLIENT_JAR", jar.toString(),
                "JAVA_OPTS", classLog());
        echoack(env, "send", endpoint(), "hi").assertReplied();
        Path old = awaitArchive(cache, CLIENT);

        // what a rebuild changes: the jar's time (and mostly its size)
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Run rebuilt = echoack(env, "send", endpoint(), "hi");
        rebuilt.assertReplied();
        assertFalse(rebuilt.classes().contains(FROM_ARCHIVE), "the old archive is not mapped");
        Path fresh = awaitArchive(cache, CLIENT, old);
        assertEquals(List.of(fresh), archives(cache, CLIENT), "the new archive replaced the old one");

        Run next = echoack(env, "send", endpoint(), "hi");
        next.assertReplied();
        assertTrue(next.classes().contains(FROM_ARCHIVE), "the new archive is mapped");
    }

    @Test
    void aCacheDirectoryThatCannotBeMadeOrNoneAtAllChangesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Run blocked = echoack(Map.of("ECHOACK_CDS_DIR", file.resolve("cache").toString()), "send", endpoint(), "hi");
        blocked.assertReplied();

        Run homeless = echoack(Map.of("HOME", "", "JAVA_OPTS", ""), "send", endpoint(), "hi");
        homeless.assertReplied();
        assertEquals(List.of(file), listing(dir), "nothing made anywhere");
    }

    @Test
    void aCacheDirectoryWithASpaceIsLeftAlone() throws Exception {
        Path cache = dir.resolve("my cache");
        echoack(Map.of("ECHOACK_CDS_DIR", cache.toString()), "send", endpoint(), "hi").assertReplied();
        echoack(Map.of("ECHOACK_CDS_DIR", cache.toString()), "send", endpoint(), "hi").assertReplied();
        assertFalse(Files.exists(cache), "no archive, no training");
        Run create = run(ROOT.resolve("bin/echoack"),
                Map.of("ECHOACK_CDS_DIR", cache.toString(), "ECHOACK_CDS", "create"));
        assertEquals(1, create.exitCode(), create.toString());
        assertEquals("echoack: no class data sharing archive: '" + cache + "' has characters the JVM's flags cannot "
                + "carry (set ECHOACK_CDS_DIR)\n", create.err());
    }

    @Test
    void offMakesNoArchiveAndAWrongValueIsNamed() throws Exception {
        Path cache = dir.resolve("cache");
        echoack(Map.of("ECHOACK_CDS_DIR", cache.toString(), "ECHOACK_CDS", "off"), "send", endpoint(), "hi")
                .assertReplied();
        assertFalse(Files.exists(cache), "no archive with ECHOACK_CDS=off (a training makes the directory first)");

        Run wrong = echoack(Map.of("ECHOACK_CDS_DIR", cache.toString(), "ECHOACK_CDS", "sometimes"),
                "send", endpoint(), "hi");
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertEquals("echoack: ECHOACK_CDS='sometimes' is not one of auto, off, create\n", wrong.err());
    }

    @Test
    void createMakesBothArchivesAtOnceForAnImageAndTheServerStartsWithItsOwn() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("ECHOACK_CDS_DIR", cache.toString(), "ECHOACK_CDS", "create");
        Run client = run(ROOT.resolve("bin/echoack"), env);
        assertEquals(0, client.exitCode(), client.toString());
        assertEquals("", client.out() + client.err());
        Run serverCreate = run(ROOT.resolve("bin/echoack-server"), env);
        assertEquals(0, serverCreate.exitCode(), serverCreate.toString());
        assertEquals("", serverCreate.out() + serverCreate.err());
        assertEquals(1, archives(cache, SERVER).size(), listing(cache).toString());
        assertEquals(1, archives(cache, CLIENT).size(), listing(cache).toString());
        assertEquals(List.of(), listing(cache).stream().filter(p -> !p.toString().endsWith(".jsa")
                        && !(p.toString().endsWith(".native") && Files.exists(Path.of(p.toString()
                        .replaceAll("\\.native$", ".jsa"))))).toList(),
                "no training left running, nothing else left behind than the archives and their native libraries");

        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("server.err");
        Process started = builder(ROOT.resolve("bin/echoack-server"), Map.of("ECHOACK_CDS_DIR", cache.toString()),
                "--listen", "unix://" + socket).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(socket) && started.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(socket), "the server listens");
            assertTrue(mapsAnArchive(started.pid()), "the server maps its archive");
        } finally {
            started.destroy();
            assertTrue(started.waitFor(30, TimeUnit.SECONDS));
        }
        String err = Files.readString(log);
        assertEquals(0, started.exitValue(), err);
        assertFalse(err.contains("cds") || err.contains("archive") || err.contains("[warning]"), err);
    }

    /**
     * Netty's native library is loaded from beside the archive ({@code java.library.path}), not extracted to a
     * temporary file: with Netty's extraction directory made unusable, epoll still loads with the archive and does
     * not without it.
     */
    @Test
    void nettysNativeLibraryIsLoadedFromBesideTheArchiveInsteadOfATemporaryFile() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs epoll: " + Epoll.unavailabilityCause());
        Path cache = dir.resolve("cache");
        Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "");
        String noExtraction = "-Dio.netty.native.workdir=" + notADirectory;
        Run create = run(ROOT.resolve("bin/echoack"), Map.of("ECHOACK_CDS_DIR", cache.toString(),
                "JAVA_OPTS", noExtraction, "ECHOACK_CDS", "create"));
        assertEquals(0, create.exitCode(), create.toString());
        Path archive = archives(cache, CLIENT).get(0);
        Path natives = Path.of(archive.toString().replaceAll("\\.jsa$", ".native"));
        assertTrue(listing(natives).stream().map(p -> p.getFileName().toString())
                .anyMatch(name -> name.matches("libnetty_transport_native_epoll_[a-z0-9_]+\\.so")), listing(natives)
                .toString());

        Map<String, String> env = Map.of("ECHOACK_CDS_DIR", cache.toString(), "JAVA_OPTS", noExtraction);
        echoack(env, "send", endpoint(), "hi", "--transport", "epoll").assertReplied();

        Map<String, String> off = Map.of("ECHOACK_CDS_DIR", cache.toString(), "JAVA_OPTS", noExtraction,
                "ECHOACK_CDS", "off");
        Run without = echoack(off, "send", endpoint(), "hi", "--transport", "epoll");
        assertNotEquals(0, without.exitCode(), "without the archive's directory Netty must extract the library, "
                + "and here it cannot: " + without);
    }

    @Test
    void theServersArchiveAlsoHoldsWhatServingLoads() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("ECHOACK_CDS_DIR", cache.toString(), "JAVA_OPTS", classLog());
        Run create = run(ROOT.resolve("bin/echoack-server"), Map.of("ECHOACK_CDS_DIR", cache.toString(),
                "JAVA_OPTS", classLog(), "ECHOACK_CDS", "create"));
        assertEquals(0, create.exitCode(), create.toString());

        Process started = builder(ROOT.resolve("bin/echoack-server"), env, "--listen", "tcp://127.0.0.1:0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(started.getErrorStream(),
                    StandardCharsets.UTF_8));
            int port = -1;
            for (int i = 0; i < 20 && port < 0; i++) { // the transport line, then the listener's
                String line = err.readLine();
                assertTrue(line != null, "the server ended before it listened");
                Matcher listening = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)").matcher(line);
                port = listening.find() ? Integer.parseInt(listening.group(1)) : -1;
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("I got your message", new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine());
            }
            assertTrue(mapsAnArchive(started.pid()), "the server maps its archive");
        } finally {
            started.destroy();
            assertTrue(started.waitFor(60, TimeUnit.SECONDS));
        }
        String classes = Files.readString(dir.resolve("classes-" + started.pid() + ".log"));
        // Netty's sampled leak detection loads its record classes for one buffer in 128, in training or not
        assertEquals(List.of(), fromTheJar(classes).stream()
                        .filter(line -> !line.contains("io.netty.util.ResourceLeakDetector")).toList(),
                "the training served a message too: a connection and its reply read nothing of echoack or Netty "
                        + "from the jar");
    }

    @Test
    void createWaitsForATrainingUnderWayAndSaysSoWhenTrainingFails() throws Exception {
        Path cache = dir.resolve("cache");
        echoack(Map.of("ECHOACK_CDS_DIR", cache.toString()), "send", endpoint(), "hi").assertReplied();
        // the first run's training is under way (it takes seconds): create waits for it instead of failing
        Run create = run(ROOT.resolve("bin/echoack"),
                Map.of("ECHOACK_CDS_DIR", cache.toString(), "ECHOACK_CDS", "create"));
        assertEquals(0, create.exitCode(), create.toString());
        assertEquals("", create.out() + create.err());
        assertEquals(1, archives(cache, CLIENT).size(), listing(cache).toString());

        // options under which no archive can be made (the user's own archive, which cannot be written either):
        // the command still answers; create says it made none
        String elsewhere = "-XX:SharedArchiveFile=" + dir.resolve("no-such-directory/their.jsa");
        echoack(Map.of("ECHOACK_CDS_DIR", cache.toString(), "ECHOACK_JAVA_OPTS", elsewhere), "send", endpoint(), "hi")
                .assertReplied();
        Run failed = run(ROOT.resolve("bin/echoack"), Map.of("ECHOACK_CDS_DIR", cache.toString(),
                "ECHOACK_JAVA_OPTS", elsewhere, "ECHOACK_CDS", "create"));
        assertEquals(1, failed.exitCode(), failed.toString());
        assertEquals("echoack: could not create a class data sharing archive in " + cache + "\n", failed.err());
        assertEquals("", failed.out());
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The echoack and Netty classes a class log says were read from a jar (not mapped from an archive). */
    private static List<String> fromTheJar(String classes) {
        return classes.lines().filter(line -> line.matches(".* io\\.(echoack|netty)\\.\\S+ source: (file|jar):.*"))
                .toList();
    }

    /** A loopback port nothing listens on (bound, then closed again). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Whether the process maps a .jsa file from its cache (its JDK's own archive is classes.jsa). */
    private boolean mapsAnArchive(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).stream()
                .anyMatch(line -> line.contains(dir.resolve("cache").toString()) && line.endsWith(".jsa"));
    }

    private static String endpoint() {
        return server.endpoint(0).toString();
    }

    /** JAVA_OPTS that log where each class came from, to a file per JVM (the launcher execs: its pid). */
    private String classLog() {
        return "-Xlog:class+load:file=" + dir.resolve("classes-%p.log");
    }

    private Run echoack(Map<String, String> env, String... args) throws Exception {
        return run(ROOT.resolve("bin/echoack"), env, args);
    }

    private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        Process process = builder(launcher, env, args).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running: " + launcher + " " + List.of(args));
        Path classes = dir.resolve("classes-" + process.pid() + ".log");
        return new Run(process.exitValue(), out, new String(err.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                Files.exists(classes) ? Files.readString(classes) : "");
    }

    /** The launcher with this test JVM's Java, no inherited ECHOACK_ or JAVA_OPTS, and {@code env} on top. */
    private static ProcessBuilder builder(Path launcher, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("ECHOACK_") || name.equals("JAVA_OPTS")
                || name.equals("XDG_CACHE_HOME"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder;
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (bounded) until the training is done: one archive other than {@code except}, no lock left. */
    private static Path awaitArchive(Path cache, String kind, Path... except) throws Exception {
        long deadline = System.currentTimeMillis() + TRAINING_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            List<Path> found = archives(cache, kind);
            found.removeAll(List.of(except));
            boolean training = Files.isDirectory(cache) && listing(cache).stream()
                    .anyMatch(p -> p.getFileName().toString().endsWith(".lock"));
            if (found.size() == 1 && !training) {
                return found.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no archive in " + cache + " after " + TRAINING_TIMEOUT_MS + " ms: "
                + (Files.isDirectory(cache) ? listing(cache) : "no directory"));
    }

    /** The archives of the client ({@link #CLIENT}) or of the server ({@link #SERVER}). */
    private static List<Path> archives(Path cache, String kind) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(cache)) {
            for (Path p : listing(cache)) {
                String name = p.getFileName().toString();
                if (name.matches(kind + "-[0-9]+-[0-9]+\\.jsa")) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static String head(String text) {
        return text.lines().limit(20).reduce("", (a, b) -> a + b + "\n");
    }

    /** A finished run: its exit code, stdout, stderr and, with {@link #classLog()}, its class log. */
    private record Run(int exitCode, String out, String err, String classes) {
        /** The reply on stdout, nothing at all on stderr (no JVM or archive message), exit 0. */
        void assertReplied() {
            assertEquals(REPLY, out, this::toString);
            assertEquals("", err, this::toString);
            assertEquals(0, exitCode, this::toString);
        }
    }
}
