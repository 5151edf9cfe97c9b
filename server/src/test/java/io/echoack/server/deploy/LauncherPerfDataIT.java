package io.echoack.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/echoack-server runs the JVM without its performance-data file (-XX:-UsePerfData: less resident memory, no
 * file under /tmp/hsperfdata_USER), and ECHOACK_JAVA_OPTS=-XX:+UsePerfData brings it back for jps and jstat.
 * The file shows as a mapping of the running server.
 */
@Timeout(120)
class LauncherPerfDataIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theServerMapsNoPerformanceDataFile() throws Exception {
        assertFalse(mapsPerfData(Map.of()), "bin/echoack-server maps no hsperfdata file");
    }

    @Test
    void echoackJavaOptsTurnsItBackOn() throws Exception {
        assertTrue(mapsPerfData(Map.of("ECHOACK_JAVA_OPTS", "-XX:+UsePerfData")),
                "with ECHOACK_JAVA_OPTS=-XX:+UsePerfData the server maps its hsperfdata file");
    }

    /** Starts the launcher on a Unix socket, waits until it listens, and reads its mappings before stopping it. */
    private boolean mapsPerfData(Map<String, String> env) throws Exception {
        Path socket = dir.resolve("s.sock");
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/echoack-server").toString(),
                "--listen", "unix://" + socket).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("ECHOACK_") || name.equals("JAVA_OPTS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ECHOACK_CDS", "off"); // no archive training in the background
        builder.environment().putAll(env);
        Process server = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(socket) && server.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(socket), () -> "the server listens: " + read(log));
            List<String> maps = Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "maps"));
            return maps.stream().anyMatch(line -> line.contains("/hsperfdata_"));
        } finally {
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server stops on SIGTERM");
            assertEquals(0, server.exitValue(), () -> read(log));
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
