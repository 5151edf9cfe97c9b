package io.echoack.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.testing.Ipv6Loopback;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Finds the external programs the interop tests drive, and builds the C clients from src/test/c. */
public final class Tools {

    /** The C sources, relative to the server module (failsafe runs tests in the module directory). */
    public static final Path C_SOURCES = Path.of("src/test/c");
    /** The runnable jar built by the package phase, which runs before failsafe's integration tests. */
    public static final Path SERVER_JAR = Path.of("target/echoack-server.jar");
    /** The kernel's sun_path is 108 bytes; stay well below so a long temp dir is caught here, clearly. */
    static final int MAX_TEST_SOCKET_PATH_BYTES = 100;

    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HELP_TIMEOUT = Duration.ofSeconds(10);
    /** The first words of OpenBSD netcat's {@code -h} output (Debian: "OpenBSD netcat (Debian patchlevel ...)"). */
    private static final String OPENBSD_NETCAT_BANNER = "OpenBSD netcat";

    private Tools() {
    }

    /** The executable {@code name} on the PATH, if any. */
    public static Optional<Path> find(String name) {
        return find(name, System.getenv("PATH"));
    }

    /** The executable {@code name} in the directories of {@code path} (a PATH value), if any. */
    static Optional<Path> find(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The executable {@code name}, or the calling test is skipped with a message saying how to get it. */
    public static String require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        assumeTrue(found.isPresent(), () -> name + " is not on the PATH; install it (apt-get install " + debianPackage
                + ") to run these interop tests");
        return found.get().toString();
    }

    /**
     * OpenBSD netcat, the variant whose flags the tests use ({@code -N} to shut down the sending side at the
     * end of input, {@code -U}, {@code -u -w1}); the calling test is skipped, with what was found instead,
     * when it is not here. Debian installs it as {@code nc.openbsd}; {@code nc} may be nmap's ncat (which has
     * no {@code -N}) or another netcat, so {@code nc} counts only when its help says it is OpenBSD's.
     */
    public static String openBsdNetcat() {
        NetcatSearch search = findOpenBsdNetcat(System.getenv("PATH"));
        assumeTrue(search.found().isPresent(), search::reason);
        return search.found().get().toString();
    }

    /** Where OpenBSD netcat is in {@code path}, or why it is not there. */
    static NetcatSearch findOpenBsdNetcat(String path) {
        StringBuilder seen = new StringBuilder();
        for (String name : List.of("nc.openbsd", "nc")) {
            Optional<Path> candidate = find(name, path);
            if (candidate.isEmpty()) {
                continue;
            }
            String help = helpText(candidate.get());
            if (help.contains(OPENBSD_NETCAT_BANNER)) {
                return new NetcatSearch(candidate, "");
            }
            String firstLine = help.strip().lines().findFirst().orElse("(no help text)");
            seen.append("; ").append(candidate.get()).append(" is not it: its help says '").append(firstLine)
                    .append('\'');
        }
        return new NetcatSearch(Optional.empty(), "these tests need OpenBSD netcat (nc.openbsd; apt-get install "
                + "netcat-openbsd)" + (seen.isEmpty() ? ", and there is no nc on the PATH" : seen.toString()));
    }

    /** The outcome of {@link #findOpenBsdNetcat}: the program, or the reason a test is skipped. */
    record NetcatSearch(Optional<Path> found, String reason) {
    }

    private static String helpText(Path program) {
        try {
            ChildProcess.Result help = ChildProcess.run(List.of(program.toString(), "-h"), new byte[0],
                    HELP_TIMEOUT);
            return help.stdoutText() + help.stderr();
        } catch (IOException e) {
            return "cannot run it: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Compiles {@code src/test/c/<name>.c} with {@code gcc -Wall -Werror} into {@code outDir}; skips the test
     * when gcc is missing and fails it when the source does not compile cleanly.
     *
     * @return the executable's path
     */
    public static String compile(String name, Path outDir) throws IOException, InterruptedException {
        String gcc = require("gcc", "gcc");
        Path source = C_SOURCES.resolve(name + ".c");
        assertTrue(Files.isRegularFile(source), "missing C source " + source.toAbsolutePath());
        Path binary = outDir.resolve(name);
        ChildProcess.Result result = ChildProcess.run(
                List.of(gcc, "-Wall", "-Werror", "-o", binary.toString(), source.toString()), new byte[0],
                COMPILE_TIMEOUT);
        assertEquals(0, result.exitCode(), () -> "gcc failed on " + source + "\n" + result);
        return binary.toString();
    }

    /** The java launcher of the JVM running the tests, for starting the server jar. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The server jar; fails with a hint when the tests run without the package phase. */
    public static String serverJar() {
        assertTrue(Files.isRegularFile(SERVER_JAR), () -> SERVER_JAR.toAbsolutePath()
                + " is missing: run the tests with 'mvn verify' (it packages the jar first)");
        return SERVER_JAR.toString();
    }

    /** {@code dir/name} as a socket path, checked to be short enough for {@code sun_path}. */
    public static Path socketPath(Path dir, String name) {
        Path path = dir.resolve(name).toAbsolutePath();
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < MAX_TEST_SOCKET_PATH_BYTES, () -> "socket path too long for the kernel (" + bytes
                + " bytes): " + path + "; set java.io.tmpdir to a shorter directory");
        return path;
    }

    /** Skips the calling test when IPv6 loopback ({@code ::1}) cannot be bound here (e.g. IPv6 disabled). */
    public static void assumeIpv6Loopback() {
        assumeTrue(Ipv6Loopback.isUsable(), "IPv6 loopback ::1 is not available on this machine");
    }
}
