package io.echoack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Permission denied" at startup, seen by an unprivileged user: a privileged port, and a socket directory
 * the user may not write. Runs the real jar as user nobody (via setpriv), so it needs root to start.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PermissionDeniedIT {

    private static final Path JAR = Path.of("target/echoack-server.jar");

    @TempDir
    Path dir;

    private static boolean canDropPrivileges() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    private Path readableJar;

    /** Runs the server jar as nobody; returns {exit code, stderr}. */
    private String[] runAsNobody(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", readableJar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits by itself");
            return new String[] {String.valueOf(p.exitValue()), err};
        } finally {
            p.destroyForcibly();
        }
    }

    private void assumeReady() throws IOException {
        assumeTrue(canDropPrivileges(), "needs root and setpriv to run the server as an unprivileged user");
        assumeTrue(Files.isReadable(JAR), "needs the packaged jar (run through mvn verify)");
        // nobody must be able to read the jar, wherever the checkout lives (e.g. under /root)
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        readableJar = Files.copy(JAR, dir.resolve("echoack-server.jar"));
        Files.setPosixFilePermissions(readableJar, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void privilegedPort() throws Exception {
        assumeReady();
        String[] r = runAsNobody("--listen", "tcp://127.0.0.1:7");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].strip().endsWith("echoack-server: cannot listen on tcp://127.0.0.1:7: permission denied"),
                r[1]);
    }

    @Test
    void socketDirectoryNotWritable() throws Exception {
        assumeReady();
        Path locked = Files.createDirectory(dir.resolve("locked"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        String[] r = runAsNobody("--listen", "unix://" + locked.resolve("s.sock"));
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].strip().endsWith("cannot listen on unix://" + locked.resolve("s.sock") + ": permission denied"),
                r[1]);
    }
}
